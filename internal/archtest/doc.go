// Package archtest holds the test that checks the import rules of
// ARCHITECTURE.md against the module's real dependency graph (go list -deps),
// so a rule cannot break without a failing test. It has no code of its own.
package archtest
