// Binds the catalog into Lua.
