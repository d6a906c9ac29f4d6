-- Globals that `refonte run` gives every script (see docs/architecture.md, "Lua runtime").
std = "lua54"
read_globals = { "json", "sleep", "spawn" }
