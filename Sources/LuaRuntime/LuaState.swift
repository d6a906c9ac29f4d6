// The Lua runtime: see the issue "Lua host foundation".
