package cli

import (
	"context"
	"fmt"

	"improvementtracker/model"
	"improvementtracker/sample"
)

func init() {
	register(&Command{
		Name:  "sample",
		Usage: "sample [--db PATH]",
		Short: "Load the Kent Police PEEL 2021/22 sample into an empty register",
		Run:   runSample,
	})
}

// runSample loads the built-in sample. sample.Load refuses a register that
// already holds findings, so a real register is never mixed with made-up
// progress.
func runSample(env *Env) (err error) {
	fs := newFlags(env, commands["sample"])
	db := dbFlag(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("sample takes no arguments, got %q", args[0])
	}
	s, err := openStore(env, *db)
	if err != nil {
		return err
	}
	defer closeStore(env, s, &err)

	if err := sample.Load(s); err != nil {
		return fmt.Errorf("%s: %w", where(s), err)
	}
	var findings, updates, milestones int
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		all, err := tx.Findings()
		if err != nil {
			return err
		}
		us, err := tx.Updates(0)
		if err != nil {
			return err
		}
		ms, err := tx.Milestones(0)
		if err != nil {
			return err
		}
		findings, updates, milestones = len(all), len(us), len(ms)
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading back the sample: %w", err)
	}
	fmt.Fprintf(env.Stdout, "Loaded the Kent Police PEEL 2021/22 sample into %s: %d findings, %d milestones, %d progress updates.\n",
		where(s), findings, milestones, updates)
	fmt.Fprintln(env.Stdout, "The findings are the report's own words; owners, targets, milestones, updates and evidence are sample data, marked \"[Sample data]\".")
	return nil
}
