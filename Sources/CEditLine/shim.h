#ifndef REFONTE_CEDITLINE_SHIM_H
#define REFONTE_CEDITLINE_SHIM_H

// Debian: libedit-dev. The native editline API (histedit.h), not its readline emulation: the
// REPL needs its own completion, key bindings and a history whose entries span lines.
#include <histedit.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

// el_set, el_get and history take variable arguments, which Swift cannot call: one function
// per use. Each returns the library's status (-1 on failure) for the Swift side to check.

// An editor on the process's terminal streams (C's globals, which Swift 6 cannot name).
static inline EditLine *refonte_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

// Text written where the editor draws (its listing of completions).
static inline void refonte_el_print(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

typedef unsigned char (*refonte_el_command)(EditLine *, int);
typedef char *(*refonte_el_prompt)(EditLine *);

static inline int refonte_el_set_prompt(EditLine *el, refonte_el_prompt prompt) {
    return el_set(el, EL_PROMPT, prompt);
}

static inline int refonte_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

// With signal handling on, editline puts the terminal back and redraws around SIGTSTP/SIGCONT
// and follows the window's size (SIGWINCH).
static inline int refonte_el_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

static inline int refonte_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}

static inline int refonte_el_add_command(EditLine *el, const char *name, const char *help,
                                         refonte_el_command command) {
    return el_set(el, EL_ADDFN, name, help, command);
}

static inline int refonte_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}

// `setty -d <mode>`: a terminal mode while editing (`-isig`: Ctrl-C reaches the editor as a key).
static inline int refonte_el_edit_tty(EditLine *el, const char *mode) {
    return el_set(el, EL_SETTY, "-d", mode, NULL);
}

// The terminal in the editor's mode (1) or back as it was (0). el_gets prints the prompt before
// it switches the terminal itself: a key typed in between (Ctrl-D as the prompt appears) would
// reach the terminal's own line editing, where Ctrl-D is no key.
static inline int refonte_el_prep_term(EditLine *el, int on) {
    return el_set(el, EL_PREP_TERM, on);
}

static inline int refonte_el_set_client(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *refonte_el_client(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

static inline int refonte_history_set_size(History *h, int size) {
    HistEvent event;
    return history(h, &event, H_SETSIZE, size);
}

static inline int refonte_history_set_unique(History *h, int on) {
    HistEvent event;
    return history(h, &event, H_SETUNIQUE, on);
}

static inline int refonte_history_enter(History *h, const char *entry) {
    HistEvent event;
    return history(h, &event, H_ENTER, entry);
}

static inline int refonte_history_load(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_LOAD, path);
}

// Entries are written with their line breaks escaped (strvis), so a multi-line entry stays one.
static inline int refonte_history_save(History *h, FILE *file) {
    HistEvent event;
    return history(h, &event, H_SAVE_FP, file);
}

// ---------------------------------------------------------------------------------------------
// Ctrl-C while a statement runs. The handler only writes a byte to a pipe (all a signal handler
// may safely do); a thread reading the pipe interrupts the Lua state. While editing, Ctrl-C is
// a key instead (`-isig` above), so it never arrives as a signal at the prompt.

static int refonte_interrupt_pipe = -1;

static void refonte_on_sigint(int signo) {
    (void)signo;
    int saved = errno;
    if (refonte_interrupt_pipe >= 0) {
        ssize_t written = write(refonte_interrupt_pipe, "i", 1);
        (void)written;
    }
    errno = saved;
}

// Sends SIGINT to `fd` (the pipe's non-blocking write end) from now on; -1 on failure. The
// handler and its descriptor live in the caller's translation unit: call this from one place.
static inline int refonte_catch_sigint(int fd) {
    refonte_interrupt_pipe = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = refonte_on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(SIGINT, &action, NULL);
}

static inline int refonte_default_sigint(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGINT, &action, NULL);
}

#endif
