package model

// WithRollBack runs fn with snapshots rolling records back by RollBack, as
// the engine did before rollBackFields.
func WithRollBack(fn func()) {
	rollBackRecord = RollBack
	defer func() { rollBackRecord = rollBackFields }()
	fn()
}
