#ifndef REFONTE_CLUA_SHIM_H
#define REFONTE_CLUA_SHIM_H

// Debian installs Lua 5.4's headers under /usr/include/lua5.4; pkg-config adds that path.
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#endif
