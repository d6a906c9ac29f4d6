#ifndef REFONTE_CLUA_SHIM_H
#define REFONTE_CLUA_SHIM_H

// Debian installs Lua 5.4's headers under /usr/include/lua5.4; pkg-config adds that path.
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Everything in this header that can raise a Lua error (lua_error, lua_yieldk, luaL_*) runs in
// C frames only. Swift reports errors and wishes to yield by returning a code (hard rule 1).

// ---------------------------------------------------------------------------------------------
// Lua's function-like macros, which Swift cannot import.

static inline int refonte_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline void refonte_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void refonte_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void refonte_remove(lua_State *L, int idx) { lua_remove(L, idx); }

// The release of the liblua this process runs with ("$LuaVersion: Lua 5.4.4 ..."). Swift does
// not import an array of unknown size. Bytecode is only valid for the release that wrote it.
static inline const char *refonte_lua_ident(void) { return lua_ident; }

// ---------------------------------------------------------------------------------------------
// The host: one per lua_State, reachable from every thread through the extra space.

// Why the running code is being stopped. An interrupt (Ctrl-C in the REPL) stops the code the
// way a limit does: sticky until the host recovers, and no pcall catches it.
enum {
    REFONTE_LIMIT_NONE = 0,
    REFONTE_LIMIT_MEMORY = 1,
    REFONTE_LIMIT_TIME = 2,
    REFONTE_LIMIT_INTERRUPT = 3,
};

// What a Swift handler returns besides a count of results (n >= 0).
enum {
    REFONTE_RETURN_ERROR = -1,        // the error value is on top: raise it unchanged
    REFONTE_RETURN_ERROR_WHERE = -2,  // a message is on top: prefix "chunk:line:" and raise it
    REFONTE_RETURN_YIELD = -3,        // suspend the coroutine until the host resumes it
};

#define REFONTE_MEMORY_MESSAGE "memory limit exceeded"
#define REFONTE_TIME_MESSAGE "time limit exceeded"
#define REFONTE_INTERRUPT_MESSAGE "interrupted"
#define REFONTE_EXIT_MESSAGE "os.exit"

typedef int (*refonte_call_fn)(lua_State *L, void *box);
typedef int (*refonte_resume_fn)(lua_State *L);
typedef void (*refonte_release_fn)(void *box);

typedef struct refonte_watchdog refonte_watchdog;

typedef struct refonte_host {
    // Memory: every byte Lua holds plus what the host holds for the script (see
    // refonte_charge), and the cap (0 = none).
    size_t used;
    size_t peak;
    size_t cap;
    // Allocations may fail only where a protected call catches the failure below any Swift
    // frame: while Lua runs with no Swift frame above it, or inside a finalizer (the collector
    // runs each one under its own protected call) that no Swift frame was entered from.
    int allow_fail;
    int fail_pending;
    void *fail_ptr;
    size_t fail_nsize;
    int swift_in_finalizer;  // Swift frames entered from inside a finalizer
    size_t used_after_collect;  // `used` after the host's last full collection
    lua_State *main;         // set once the state is built; to ask whether a finalizer runs

    // Time: only the script's own time counts (slices between a resume and its return, and
    // the host's work around them; never the waits for host work).
    long long budget_ns;
    long long spent_ns;
    long long slice_start_ns;
    int in_slice;
    // The same clock for the watchdog thread, in one word: spent*2 between slices,
    // (spent - slice start)*2 + 1 during one.
    long long clock_word;
    unsigned work_ticks;  // refonte_within_limits reads the clock once every so many calls

    int hit;                // REFONTE_LIMIT_*: sticky once set
    int interrupt_requested; // set from any thread (refonte_request_interrupt); taken on the Lua thread
    long long hit_at_ns;    // script time when it was set (the watchdog's grace starts there)
    int hook_count;         // instructions between limit checks
    int exiting;            // os.exit was called: sticky, like a limit, but script code runs on
    int exit_code;          // the code the first os.exit asked for

    refonte_call_fn call;
    refonte_resume_fn resume;
    refonte_release_fn release;
    void *context;  // the Swift LuaState, unretained
    refonte_watchdog *watchdog;

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

// The script's time so far, counting the slice that runs now.
static inline long long refonte_script_time(refonte_host *h) {
    return h->spent_ns + (h->in_slice ? refonte_now_ns() - h->slice_start_ns : 0);
}

static inline void refonte_set_hit(refonte_host *h, int kind) {
    if (h->hit) return;
    h->hit_at_ns = refonte_script_time(h);
    __atomic_store_n(&h->hit, kind, __ATOMIC_RELEASE);
}

// True while a finalizer (__gc) runs: Lua stops its collector then, and lua_gc answers -1.
static inline int refonte_in_finalizer(lua_State *L) {
    return L && lua_gc(L, LUA_GCISRUNNING) < 0;
}

// What a block really takes from the heap: its usable size and malloc's header, so that a
// script of many small objects counts what it costs, not only what Lua asked for.
static inline size_t refonte_block_size(void *p, size_t requested) {
#if defined(__GLIBC__)
    return p ? malloc_usable_size(p) + sizeof(size_t) : 0;
#else
    return p ? requested : 0;
#endif
}

static inline void *refonte_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    refonte_host *h = (refonte_host *)ud;
    size_t old = ptr ? osize : 0;
    size_t old_block = refonte_block_size(ptr, old);
    if (nsize == 0) {
        h->used -= old_block;
        free(ptr);
        return NULL;
    }
    int in_finalizer = h->cap && nsize > old && h->used + (nsize - old) > h->cap && refonte_in_finalizer(h->main);
    if (h->cap && nsize > old && h->used + (nsize - old) > h->cap
        && (h->allow_fail || (h->swift_in_finalizer == 0 && in_finalizer))) {
        // Lua answers a refusal with an emergency collection and asks again: a second refusal
        // of the same request means the script really holds more than the cap. A request
        // larger than the whole cap is the limit at once: no collection can make room for it.
        // Inside a finalizer Lua cannot collect, and the collector swallows the finalizer's
        // error: a refusal there is the limit at once too.
        if (in_finalizer || nsize - old > h->cap
            || (h->fail_pending && h->fail_ptr == ptr && h->fail_nsize == nsize)) {
            refonte_set_hit(h, REFONTE_LIMIT_MEMORY);
        }
        h->fail_pending = 1;
        h->fail_ptr = ptr;
        h->fail_nsize = nsize;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    h->fail_pending = 0;
    h->used = h->used - old_block + refonte_block_size(p, nsize);
    if (h->used > h->peak) h->peak = h->used;
    return p;
}

static void refonte_hook(lua_State *L, lua_Debug *ar);

static inline int refonte_raise_limit(lua_State *L, refonte_host *h) {
    // From now on every instruction raises again, so no pcall can swallow the limit.
    lua_sethook(L, refonte_hook, LUA_MASKCOUNT, 1);
    // The host keeps both messages in the registry, so these short strings are interned and
    // pushing them allocates nothing.
    lua_pushstring(L, h->hit == REFONTE_LIMIT_MEMORY ? REFONTE_MEMORY_MESSAGE
                      : h->hit == REFONTE_LIMIT_INTERRUPT ? REFONTE_INTERRUPT_MESSAGE
                                                           : REFONTE_TIME_MESSAGE);
    return lua_error(L);
}

// Asks the Lua thread to stop what it runs; callable from any thread. The count hook, the
// trampoline and the host's work checks take the request on the Lua thread. Returns 0 when
// an earlier request is still waiting to be taken.
static inline int refonte_request_interrupt(refonte_host *h) {
    int expected = 0;
    return __atomic_compare_exchange_n(&h->interrupt_requested, &expected, 1, 0, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE);
}

static inline int refonte_interrupt_pending(refonte_host *h) {
    return __atomic_load_n(&h->interrupt_requested, __ATOMIC_ACQUIRE);
}

// On the Lua thread: turns a pending interrupt into the sticky stop; nonzero when stopped.
static inline int refonte_take_interrupt(refonte_host *h) {
    if (!refonte_interrupt_pending(h)) return h->hit;
    __atomic_store_n(&h->interrupt_requested, 0, __ATOMIC_RELEASE);
    refonte_set_hit(h, REFONTE_LIMIT_INTERRUPT);
    return h->hit;
}

static inline int refonte_over_budget(refonte_host *h) {
    return h->budget_ns && h->in_slice
        && h->spent_ns + (refonte_now_ns() - h->slice_start_ns) > h->budget_ns;
}

static void refonte_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    refonte_host *h = refonte_host_of(L);
    if (!h->hit && !refonte_take_interrupt(h)) {
        if (refonte_over_budget(h)) refonte_set_hit(h, REFONTE_LIMIT_TIME);
        else if (h->cap && h->used > h->cap) refonte_set_hit(h, REFONTE_LIMIT_MEMORY);
        else return;
    }
    refonte_raise_limit(L, h);
}

static inline void refonte_install_hook(lua_State *L) {
    refonte_host *h = refonte_host_of(L);
    lua_sethook(L, refonte_hook, LUA_MASKCOUNT, h->hook_count);
}

// Lua-callable: raises the limit if one was hit, else returns nothing. The runtime's
// coroutine.resume/close, load and collectgarbage call it after catching an error, so an error
// that a limit caused is raised again instead of being swallowed.
static int refonte_check_limit(lua_State *L) {
    refonte_host *h = refonte_host_of(L);
    if (h->hit || refonte_take_interrupt(h)) return refonte_raise_limit(L, h);
    if (h->exiting) {
        lua_pushstring(L, REFONTE_EXIT_MESSAGE);  // interned in the registry: no allocation
        return lua_error(L);
    }
    return 0;
}

// True when the error on top is os.exit's own, raised after the script asked to exit. A <close>
// handler's pcall of its own errors still works while the script unwinds.
static inline int refonte_is_exit(lua_State *L, refonte_host *h) {
    if (!h->exiting || lua_type(L, -1) != LUA_TSTRING) return 0;
    const char *text = lua_tostring(L, -1);
    return strcmp(text, REFONTE_EXIT_MESSAGE) == 0;
}

// os.exit(code) as scripts get it (the sandbox checks the code first): it does not end the
// process. It marks the run as exiting and raises, so the script unwinds; from then on pcall,
// xpcall and coroutine.resume/wrap/close pass the error on instead of catching it (as for a
// limit), while <close> handlers and finalizers still run (and may pcall their own errors). The
// host ends the run after the step and closes the tasks' pending <close> variables.
static int refonte_script_exit(lua_State *L) {
    refonte_host *h = refonte_host_of(L);
    lua_Integer code = luaL_checkinteger(L, 1);
    luaL_argcheck(L, code >= 0 && code <= 255, 1, "exit code must be from 0 to 255");
    if (!h->exiting) {
        h->exit_code = (int)code;
        h->exiting = 1;
    }
    lua_pushstring(L, REFONTE_EXIT_MESSAGE);
    return lua_error(L);
}


// pcall and xpcall as scripts get them: Lua's own, except that an error a limit caused is
// raised again instead of returned, and xpcall does not run the script's message handler for
// it (for an error the hook raised, Lua runs the handler with hooks off). Continuations let the
// protected function yield, as with Lua's own.
static int refonte_protected_finish(lua_State *L, int status, lua_KContext extra) {
    if (status != LUA_OK && status != LUA_YIELD) {
        refonte_host *h = refonte_host_of(L);
        if (h->hit) return refonte_raise_limit(L, h);
        if (refonte_is_exit(L, h)) return lua_error(L);  // passed on
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int refonte_script_pcall(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, refonte_protected_finish);
    return refonte_protected_finish(L, status, 0);
}

static int refonte_xpcall_handler(lua_State *L) {
    refonte_host *h = refonte_host_of(L);
    if (h->hit || refonte_is_exit(L, h)) return 1;  // the limit's (or the exit's) error, unchanged
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int refonte_script_xpcall(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, refonte_xpcall_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);  // function, handler, true, function, arguments...
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, refonte_protected_finish);
    return refonte_protected_finish(L, status, 2);
}

// ---------------------------------------------------------------------------------------------
// Limits for work the host does on the script's data (callable from Swift: nothing raises).

// False when Lua cannot hold `extra` more bytes under the cap, even after a full collection,
// or when the script's time is up: the limit is then hit, and the trampoline raises it when
// the Swift function returns, whatever that function reports.
static inline int refonte_within_limits(lua_State *L, size_t extra) {
    refonte_host *h = refonte_host_of(L);
    if (h->hit || refonte_take_interrupt(h)) return 0;
    if ((++h->work_ticks & 1023) == 0 && refonte_over_budget(h)) {
        refonte_set_hit(h, REFONTE_LIMIT_TIME);
        return 0;
    }
    if (!h->cap || (extra <= h->cap && h->used + extra <= h->cap)) return 1;
    // A full collection costs as much as the heap: run one only when a sixteenth of the cap
    // was allocated since the last, so a script that hovers at the cap cannot make the host
    // collect on every value it pushes. Short of that, the script holds the cap.
    if (extra <= h->cap && h->used >= h->used_after_collect + h->cap / 16) {
        lua_gc(L, LUA_GCCOLLECT, 0);
        h->used_after_collect = h->used;
        if (h->used + extra <= h->cap) return 1;
    }
    refonte_set_hit(h, REFONTE_LIMIT_MEMORY);
    return 0;
}

// Counts `n` bytes the host holds for the script (a buffer built from its data) as memory the
// script uses, until refonte_uncharge; 0 (and the limit is hit) when they do not fit.
static inline int refonte_charge(lua_State *L, size_t n) {
    refonte_host *h = refonte_host_of(L);
    if (!refonte_within_limits(L, n)) return 0;
    h->used += n;
    if (h->used > h->peak) h->peak = h->used;
    return 1;
}

static inline void refonte_uncharge(lua_State *L, size_t n) {
    refonte_host *h = refonte_host_of(L);
    h->used = h->used > n ? h->used - n : 0;
}

// ---------------------------------------------------------------------------------------------
// The trampoline: Lua calls it for every bound Swift function.

static int refonte_continue(lua_State *L, int status, lua_KContext ctx);

static inline int refonte_finish(lua_State *L, refonte_host *h, int code) {
    if (!h->hit && h->cap && h->used > h->cap) {
        lua_gc(L, LUA_GCCOLLECT);
        if (h->used > h->cap) refonte_set_hit(h, REFONTE_LIMIT_MEMORY);
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
    if (h->hit || refonte_take_interrupt(h)) return refonte_raise_limit(L, h);
    void *box = *(void **)lua_touserdata(L, lua_upvalueindex(1));
    int saved = h->allow_fail;
    h->allow_fail = 0;
    // Called from a finalizer, the Swift frame sits above the finalizer's protected call:
    // allocations must not fail under it either. Only a memory cap makes them fail, and the cap
    // is fixed when the state is made, so without one the check (a call into Lua, a sixth of a
    // bound call's cost) is skipped.
    int in_finalizer = h->cap && refonte_in_finalizer(L);
    h->swift_in_finalizer += in_finalizer;
    int code = h->call(L, box);
    h->swift_in_finalizer -= in_finalizer;
    h->allow_fail = saved;
    return refonte_finish(L, h, code);
}

// Runs in the resumed coroutine once the host has the result of the work it waited for.
static int refonte_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    refonte_host *h = refonte_host_of(L);
    if (h->hit || refonte_take_interrupt(h)) return refonte_raise_limit(L, h);
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
// Standard output as Lua's `print` writes it (C's buffered stdout), for the host's own output
// that must keep its order with the script's (`pp`, the REPL's results).

static inline void refonte_write_stdout(const void *bytes, size_t count) {
    fwrite(bytes, 1, count, stdout);
}

static inline void refonte_flush_stdout(void) {
    fflush(stdout);
}

// ---------------------------------------------------------------------------------------------
// Files the host opened for a script (after checking its grants), as io library handles.

static int refonte_file_close(lua_State *L) {
    luaL_Stream *p = (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
    int res = fclose(p->f);
    return luaL_fileresult(L, (res == 0), NULL);
}

// Pushes `file` as a Lua file handle ("FILE*"), which closes it when collected. Called from
// Swift: nothing here raises (the io library's metatable already exists; allocation cannot
// fail while Swift runs).
static inline void refonte_push_file(lua_State *L, FILE *file) {
    luaL_Stream *p = (luaL_Stream *)lua_newuserdatauv(L, sizeof(luaL_Stream), 0);
    p->closef = NULL;
    luaL_setmetatable(L, LUA_FILEHANDLE);
    p->f = file;
    p->closef = refonte_file_close;
}

// ---------------------------------------------------------------------------------------------
// Entering Lua from the host. These measure the script's time and let allocations fail.

static inline void refonte_publish_clock(refonte_host *h) {
    long long word = h->in_slice ? (h->spent_ns - h->slice_start_ns) * 2 + 1 : h->spent_ns * 2;
    __atomic_store_n(&h->clock_word, word, __ATOMIC_RELEASE);
}

// Starts counting the script's time (nested calls count once); returns whether it already was.
static inline int refonte_time_begin(refonte_host *h) {
    int was = h->in_slice;
    if (!was) {
        h->in_slice = 1;
        h->slice_start_ns = refonte_now_ns();
        refonte_publish_clock(h);
    }
    return was;
}

static inline void refonte_time_end(refonte_host *h, int was) {
    if (!was) {
        h->spent_ns += refonte_now_ns() - h->slice_start_ns;
        h->in_slice = 0;
        refonte_publish_clock(h);
    }
}

static inline void refonte_slice_begin(refonte_host *h, int *was_in_slice, int *saved) {
    *was_in_slice = refonte_time_begin(h);
    *saved = h->allow_fail;
    h->allow_fail = 1;
}

static inline void refonte_slice_end(refonte_host *h, int was_in_slice, int saved) {
    h->allow_fail = saved;
    refonte_time_end(h, was_in_slice);
}

static inline int refonte_resume(lua_State *co, lua_State *from, int nargs, int *nres) {
    refonte_host *h = refonte_host_of(co);
    int was, saved;
    refonte_slice_begin(h, &was, &saved);
    int status = lua_resume(co, from, nargs, nres);
    refonte_slice_end(h, was, saved);
    return status;
}

// Closes the pending <close> variables of a task's coroutine that will not run on (the script
// called os.exit). Protected inside Lua; the handlers are script code, timed as such.
static inline int refonte_close_thread(lua_State *co) {
    refonte_host *h = refonte_host_of(co);
    int was, saved;
    refonte_slice_begin(h, &was, &saved);
    int status = lua_resetthread(co);
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

// Describing an error may go this far past the cap: a traceback must not fail for want of a
// few kilobytes when the error is the memory limit itself, and it stays a fixed amount.
#define REFONTE_DESCRIBE_HEADROOM (1024 * 1024)

// Calls the describer below its 2 arguments as script code (a __tostring is script code), with
// no message handler, with the headroom above the cap.
static inline int refonte_describe_call(lua_State *L) {
    refonte_host *h = refonte_host_of(L);
    int was, saved;
    size_t cap = h->cap;
    if (cap) h->cap = cap + REFONTE_DESCRIBE_HEADROOM;
    refonte_slice_begin(h, &was, &saved);
    int status = lua_pcall(L, 2, 2, 0);
    refonte_slice_end(h, was, saved);
    h->cap = cap;
    return status;
}

static inline int refonte_push_traceback(lua_State *L) {
    return lua_rawgetp(L, LUA_REGISTRYINDEX, &refonte_host_of(L)->traceback_key);
}

static inline void refonte_clear_traceback(lua_State *L) {
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &refonte_host_of(L)->traceback_key);
}

// Error descriptions are cut to this many bytes: a script's error text can be as large as its
// memory cap, and the host copies and prints it.
#define REFONTE_DESCRIPTION_MAX 8192

// Replaces the string on top with its first REFONTE_DESCRIPTION_MAX bytes and a note of the rest.
static inline void refonte_cut_description(lua_State *L) {
    size_t length = 0;
    const char *text = lua_tolstring(L, -1, &length);
    if (!text || length <= REFONTE_DESCRIPTION_MAX) return;
    lua_pushlstring(L, text, REFONTE_DESCRIPTION_MAX);
    lua_pushfstring(L, "... (%I more bytes)", (lua_Integer)(length - REFONTE_DESCRIPTION_MAX));
    lua_concat(L, 2);
    lua_remove(L, -2);
}

// (thread, error value) -> message, traceback. Called through refonte_pcall: it may allocate
// and call __tostring, which is script code and so runs under the script's limits.
static int refonte_describe_error(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING || lua_type(L, 2) == LUA_TNUMBER) {
        lua_pushvalue(L, 2);
        lua_tostring(L, -1);
    } else if (refonte_host_of(L)->hit
               || !(luaL_callmeta(L, 2, "__tostring") && lua_type(L, -1) == LUA_TSTRING)) {
        // After a limit, no script code runs: the error is described by its type only.
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 2));
    }
    refonte_cut_description(L);
    if (co) luaL_traceback(L, co, NULL, 0);
    else lua_pushliteral(L, "");
    refonte_cut_description(L);
    return 2;
}

// Opens the standard libraries a script may get; the runtime then removes what it must not.
static int refonte_open_libraries(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

static inline lua_State *refonte_newstate(refonte_host *h) {
    lua_State *L = lua_newstate(refonte_alloc, h);
    if (L) {
        *(refonte_host **)lua_getextraspace(L) = h;
        h->main = L;
    }
    return L;
}

// ---------------------------------------------------------------------------------------------
// The watchdog: the hard deadline for Lua code that the count hook cannot stop.
//
// Finalizers run with hooks off, a message handler called for an error the hook raised runs
// with hooks off, and C functions (the pattern matcher, string.rep of an empty string, a
// table.move over a huge range) run no VM instructions. A thread checks the script's clock;
// once the script has run `grace` past its budget, or `grace` past the moment a limit was hit,
// it writes the message to standard error and ends the process with `exit_code`. After a memory
// limit the clean-up (describing the error, finalizers at close) gets `after_hit_ns` instead.

struct refonte_watchdog {
    refonte_host *host;
    long long grace_ns;
    long long after_hit_ns;
    int exit_code;
    char *time_message;
    char *memory_message;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
    pthread_t thread;
};

#define REFONTE_WATCHDOG_PERIOD_NS 20000000LL

static inline long long refonte_watched_time(refonte_host *h) {
    long long word = __atomic_load_n(&h->clock_word, __ATOMIC_ACQUIRE);
    long long flag = word & 1;
    long long value = (word - flag) / 2;
    return flag ? refonte_now_ns() + value : value;
}

static inline void refonte_write_all(int fd, const char *text) {
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t written = write(fd, text, length);
        if (written < 0) return;
        text += written;
        length -= (size_t)written;
    }
}

static void *refonte_watchdog_main(void *argument) {
    refonte_watchdog *w = (refonte_watchdog *)argument;
    refonte_host *h = w->host;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += REFONTE_WATCHDOG_PERIOD_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec += 1;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->wake, &w->lock, &until);
        if (w->stop) break;
        long long now = refonte_watched_time(h);
        int hit = __atomic_load_n(&h->hit, __ATOMIC_ACQUIRE);
        long long deadline = -1;
        if (h->budget_ns) deadline = h->budget_ns + w->grace_ns;
        // An interrupt sets no deadline of its own: a second Ctrl-C ends a REPL stuck in C code.
        if (hit && hit != REFONTE_LIMIT_INTERRUPT) {
            long long after_hit = h->hit_at_ns + (hit == REFONTE_LIMIT_TIME ? w->grace_ns : w->after_hit_ns);
            if (deadline < 0 || after_hit < deadline) deadline = after_hit;
        }
        if (deadline >= 0 && now > deadline) {
            refonte_write_all(STDERR_FILENO, hit == REFONTE_LIMIT_MEMORY ? w->memory_message : w->time_message);
            // What the script printed is kept, unless the Lua thread holds stdout right now.
            if (ftrylockfile(stdout) == 0) {
                fflush(stdout);
                funlockfile(stdout);
            }
            _exit(w->exit_code);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

// Starts the watchdog of `h`; 0 when the thread could not start.
static inline int refonte_watchdog_start(
    refonte_host *h, long long grace_ns, long long after_hit_ns, int exit_code, const char *time_message,
    const char *memory_message) {
    refonte_watchdog *w = (refonte_watchdog *)calloc(1, sizeof(refonte_watchdog));
    if (!w) return 0;
    w->host = h;
    w->grace_ns = grace_ns;
    w->after_hit_ns = after_hit_ns;
    w->exit_code = exit_code;
    w->time_message = strdup(time_message);
    w->memory_message = strdup(memory_message);
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attributes);
    pthread_condattr_destroy(&attributes);
    if (!w->time_message || !w->memory_message || pthread_create(&w->thread, NULL, refonte_watchdog_main, w) != 0) {
        free(w->time_message);
        free(w->memory_message);
        free(w);
        return 0;
    }
    h->watchdog = w;
    return 1;
}

static inline void refonte_watchdog_stop(refonte_host *h) {
    refonte_watchdog *w = h->watchdog;
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w->time_message);
    free(w->memory_message);
    free(w);
    h->watchdog = NULL;
}

// ---------------------------------------------------------------------------------------------
// Going on after a stop. A program that keeps one state for many pieces of code (the REPL runs
// each statement in the same state) clears the stop once the stopped code has unwound, and
// gives each piece a clock of its own. Called between slices only.

static inline void refonte_recover(lua_State *L, int hooked) {
    refonte_host *h = refonte_host_of(L);
    __atomic_store_n(&h->interrupt_requested, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&h->hit, REFONTE_LIMIT_NONE, __ATOMIC_RELEASE);
    h->hit_at_ns = 0;
    h->fail_pending = 0;
    // The raise left a hook on every instruction in the thread it ran in; new coroutines
    // inherit the main thread's.
    if (hooked) lua_sethook(L, refonte_hook, LUA_MASKCOUNT, h->hook_count);
    // What the stopped code held is garbage now: collect it before the next piece of code runs
    // into the cap (finalizers run here, as script code, on the script's clock).
    if (h->cap && h->used > h->cap) {
        int was = refonte_time_begin(h);
        lua_gc(L, LUA_GCCOLLECT, 0);
        h->used_after_collect = h->used;
        refonte_time_end(h, was);
    }
}

static inline void refonte_reset_clock(refonte_host *h) {
    if (h->in_slice) return;
    h->spent_ns = 0;
    refonte_publish_clock(h);
}

// Closes the state. Finalizers still pending run now: they are script code, so their time
// counts (the watchdog watches them) and their allocations stay under the cap. Freeing the
// rest is the host's work, so closing alone does not make a run over time.
static inline void refonte_close(lua_State *L) {
    refonte_host *h = refonte_host_of(L);
    int was = refonte_time_begin(h);
    lua_close(L);
    h->main = NULL;
    refonte_time_end(h, was);
}

#endif
