#ifndef REFONTE_CLUA_SHIM_H
#define REFONTE_CLUA_SHIM_H

// Debian installs Lua 5.4's headers under /usr/include/lua5.4; pkg-config adds that path.
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

// Everything in this header that can raise a Lua error (lua_error, lua_yieldk, luaL_*) runs in
// C frames only. Swift reports errors and wishes to yield by returning a code (hard rule 1).

// ---------------------------------------------------------------------------------------------
// Lua's function-like macros, which Swift cannot import.

static inline int refonte_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline void refonte_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void refonte_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void refonte_remove(lua_State *L, int idx) { lua_remove(L, idx); }

// ---------------------------------------------------------------------------------------------
// The host: one per lua_State, reachable from every thread through the extra space.

enum {
    REFONTE_LIMIT_NONE = 0,
    REFONTE_LIMIT_MEMORY = 1,
    REFONTE_LIMIT_TIME = 2,
};

// What a Swift handler returns besides a count of results (n >= 0).
enum {
    REFONTE_RETURN_ERROR = -1,        // the error value is on top: raise it unchanged
    REFONTE_RETURN_ERROR_WHERE = -2,  // a message is on top: prefix "chunk:line:" and raise it
    REFONTE_RETURN_YIELD = -3,        // suspend the coroutine until the host resumes it
};

#define REFONTE_MEMORY_MESSAGE "memory limit exceeded"
#define REFONTE_TIME_MESSAGE "time limit exceeded"

typedef int (*refonte_call_fn)(lua_State *L, void *box);
typedef int (*refonte_resume_fn)(lua_State *L);
typedef void (*refonte_release_fn)(void *box);

typedef struct refonte_host {
    // Memory: every byte Lua holds, and the cap (0 = none).
    size_t used;
    size_t peak;
    size_t cap;
    // Allocations may fail only while Lua runs with no Swift frame above it; a Swift frame is
    // never jumped over, so while one runs the cap is checked when it returns instead.
    int allow_fail;
    int fail_pending;
    void *fail_ptr;
    size_t fail_nsize;

    // Time: only the script's own time counts (slices between a resume and its return).
    long long budget_ns;
    long long spent_ns;
    long long slice_start_ns;
    int in_slice;

    int hit;         // REFONTE_LIMIT_*: sticky once set
    int hook_count;  // instructions between limit checks

    refonte_call_fn call;
    refonte_resume_fn resume;
    refonte_release_fn release;
    void *context;  // the Swift LuaState, unretained

    char sentinel;      // its address is the value a host call yields
    char traceback_key; // registry key where the message handler leaves a traceback
} refonte_host;

static inline refonte_host *refonte_host_of(lua_State *L) {
    return *(refonte_host **)lua_getextraspace(L);
}

static inline long long refonte_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void *refonte_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    refonte_host *h = (refonte_host *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        h->used -= old;
        free(ptr);
        return NULL;
    }
    if (h->cap && nsize > old && h->used + (nsize - old) > h->cap && h->allow_fail) {
        // Lua answers a refusal with an emergency collection and asks again: a second refusal
        // of the same request means the script really holds more than the cap.
        if (h->fail_pending && h->fail_ptr == ptr && h->fail_nsize == nsize) {
            h->hit = REFONTE_LIMIT_MEMORY;
        }
        h->fail_pending = 1;
        h->fail_ptr = ptr;
        h->fail_nsize = nsize;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    h->fail_pending = 0;
    h->used = h->used - old + nsize;
    if (h->used > h->peak) h->peak = h->used;
    return p;
}

static void refonte_hook(lua_State *L, lua_Debug *ar);

static inline int refonte_raise_limit(lua_State *L, refonte_host *h) {
    // From now on every instruction raises again, so no pcall can swallow the limit.
    lua_sethook(L, refonte_hook, LUA_MASKCOUNT, 1);
    // The host keeps both messages in the registry, so these short strings are interned and
    // pushing them allocates nothing.
    lua_pushstring(L, h->hit == REFONTE_LIMIT_MEMORY ? REFONTE_MEMORY_MESSAGE : REFONTE_TIME_MESSAGE);
    return lua_error(L);
}

static inline int refonte_over_budget(refonte_host *h) {
    return h->budget_ns && h->in_slice
        && h->spent_ns + (refonte_now_ns() - h->slice_start_ns) > h->budget_ns;
}

static void refonte_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    refonte_host *h = refonte_host_of(L);
    if (!h->hit) {
        if (refonte_over_budget(h)) h->hit = REFONTE_LIMIT_TIME;
        else if (h->cap && h->used > h->cap) h->hit = REFONTE_LIMIT_MEMORY;
        else return;
    }
    refonte_raise_limit(L, h);
}

static inline void refonte_install_hook(lua_State *L) {
    refonte_host *h = refonte_host_of(L);
    lua_sethook(L, refonte_hook, LUA_MASKCOUNT, h->hook_count);
}

// ---------------------------------------------------------------------------------------------
// The trampoline: Lua calls it for every bound Swift function.

static int refonte_continue(lua_State *L, int status, lua_KContext ctx);

static inline int refonte_finish(lua_State *L, refonte_host *h, int code) {
    if (!h->hit && h->cap && h->used > h->cap) {
        lua_gc(L, LUA_GCCOLLECT);
        if (h->used > h->cap) h->hit = REFONTE_LIMIT_MEMORY;
    }
    if (h->hit) return refonte_raise_limit(L, h);
    if (code >= 0) return code;
    switch (code) {
    case REFONTE_RETURN_ERROR_WHERE:
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    case REFONTE_RETURN_YIELD:
        lua_pushlightuserdata(L, &h->sentinel);
        return lua_yieldk(L, 1, 0, refonte_continue);
    default:
        return lua_error(L);
    }
}

static int refonte_trampoline(lua_State *L) {
    refonte_host *h = refonte_host_of(L);
    if (h->hit) return refonte_raise_limit(L, h);
    void *box = *(void **)lua_touserdata(L, lua_upvalueindex(1));
    int saved = h->allow_fail;
    h->allow_fail = 0;
    int code = h->call(L, box);
    h->allow_fail = saved;
    return refonte_finish(L, h, code);
}

// Runs in the resumed coroutine once the host has the result of the work it waited for.
static int refonte_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    refonte_host *h = refonte_host_of(L);
    if (h->hit) return refonte_raise_limit(L, h);
    lua_settop(L, 0);
    int saved = h->allow_fail;
    h->allow_fail = 0;
    int code = h->resume(L);
    h->allow_fail = saved;
    return refonte_finish(L, h, code);
}

static int refonte_box_gc(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, 1);
    if (slot && *slot) {
        refonte_host *h = refonte_host_of(L);
        void *box = *slot;
        *slot = NULL;
        h->release(box);
    }
    return 0;
}

// Pushes a Lua function that calls the Swift closure in `box` (retained once; Lua's collector
// releases it through __gc). Called from Swift with allocation failures disabled.
static inline void refonte_push_function(lua_State *L, void *box) {
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = box;
    if (luaL_newmetatable(L, "refonte.box")) {
        lua_pushcfunction(L, refonte_box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, refonte_trampoline, 1);
}

static inline int refonte_is_sentinel(lua_State *L, int idx) {
    return lua_touserdata(L, idx) == &refonte_host_of(L)->sentinel;
}

static inline void refonte_push_sentinel(lua_State *L) {
    lua_pushlightuserdata(L, &refonte_host_of(L)->sentinel);
}

// ---------------------------------------------------------------------------------------------
// Entering Lua from the host. These measure the script's time and let allocations fail.

static inline void refonte_slice_begin(refonte_host *h, int *was_in_slice, int *saved) {
    *was_in_slice = h->in_slice;
    *saved = h->allow_fail;
    if (!h->in_slice) {
        h->in_slice = 1;
        h->slice_start_ns = refonte_now_ns();
    }
    h->allow_fail = 1;
}

static inline void refonte_slice_end(refonte_host *h, int was_in_slice, int saved) {
    h->allow_fail = saved;
    if (!was_in_slice) {
        h->spent_ns += refonte_now_ns() - h->slice_start_ns;
        h->in_slice = 0;
    }
}

static inline int refonte_resume(lua_State *co, lua_State *from, int nargs, int *nres) {
    refonte_host *h = refonte_host_of(co);
    int was, saved;
    refonte_slice_begin(h, &was, &saved);
    int status = lua_resume(co, from, nargs, nres);
    refonte_slice_end(h, was, saved);
    return status;
}

static int refonte_message_handler(lua_State *L) {
    // Keeps the error value as it is (pcall callers may want a table) and leaves the
    // traceback beside it in the registry.
    refonte_host *h = refonte_host_of(L);
    luaL_traceback(L, L, NULL, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &h->traceback_key);
    return 1;
}

// Calls the function below `nargs` arguments; the traceback of an error is left in the registry.
static inline int refonte_pcall(lua_State *L, int nargs, int nresults) {
    refonte_host *h = refonte_host_of(L);
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, refonte_message_handler);
    lua_insert(L, base);
    int was, saved;
    refonte_slice_begin(h, &was, &saved);
    int status = lua_pcall(L, nargs, nresults, base);
    refonte_slice_end(h, was, saved);
    lua_remove(L, base);
    return status;
}

static inline int refonte_push_traceback(lua_State *L) {
    return lua_rawgetp(L, LUA_REGISTRYINDEX, &refonte_host_of(L)->traceback_key);
}

static inline void refonte_clear_traceback(lua_State *L) {
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &refonte_host_of(L)->traceback_key);
}

// (thread, error value) -> message, traceback. Called through refonte_pcall: it may allocate
// and call __tostring.
static int refonte_describe_error(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING || lua_type(L, 2) == LUA_TNUMBER) {
        lua_pushvalue(L, 2);
        lua_tostring(L, -1);
    } else if (!(luaL_callmeta(L, 2, "__tostring") && lua_type(L, -1) == LUA_TSTRING)) {
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 2));
    }
    if (co) luaL_traceback(L, co, NULL, 0);
    else lua_pushliteral(L, "");
    return 2;
}

// Opens the standard libraries a script may get; the runtime then removes what it must not.
static int refonte_open_libraries(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

static inline lua_State *refonte_newstate(refonte_host *h) {
    lua_State *L = lua_newstate(refonte_alloc, h);
    if (L) *(refonte_host **)lua_getextraspace(L) = h;
    return L;
}

#endif
