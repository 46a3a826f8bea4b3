// Package safeparquet opens Parquet files that come from outside the program
// (evalset files, lighteval details files, a leaderboard's history) without
// letting a corrupt or hostile file crash the process or exhaust its memory.
//
// parquet-go allocates whatever sizes a file claims (the footer length, thrift
// list and binary lengths, page sizes, value counts) before it reads the bytes
// behind them, and it panics on some malformed files. Check vets every claim
// in the footer and in each page header against the bytes actually present and
// against Limits before parquet-go sees the file; Open runs Check, then
// parquet.OpenFile with its panics turned into errors. Reading rows afterwards
// may still meet a corrupt page body: wrap it in Do.
//
// Errors say what was expected and what was found; the caller adds the file's
// name.
package safeparquet
