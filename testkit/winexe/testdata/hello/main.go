// Command hello is the smallest Windows program the tests build to try
// winexe on a real executable.
package main

func main() { println("hello") }
