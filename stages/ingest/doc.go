// Package ingest reads generation files in the formats of spec/formats.md and turns
// every response into one Record, or every unusable input into a schemas.Reject.
// Readers stream: memory is constant in file size.
package ingest
