#ifndef REFONTE_CEDITLINE_H
#define REFONTE_CEDITLINE_H

// Debian: libedit-dev for this header, libedit2 at run time. The native editline API
// (histedit.h), not its readline emulation: the REPL needs its own completion, key bindings and
// a history whose entries span lines.
//
// libedit is opened when the REPL first edits a line (refonte_editline_open), not linked: a
// script never edits a line, and linking it made every `refonte run` load four libraries
// (libedit, libtinfo, libbsd, libmd) and resolve their 445 symbols before its first instruction.
//
// el_set, el_get and history take variable arguments, which Swift cannot call: one function per
// use. Each returns the library's status (-1 on failure) for the Swift side to check. Every
// refonte_el_* and refonte_history_* function needs refonte_editline_open() to have succeeded.
#include <histedit.h>
#include <stdio.h>

// Opens libedit and finds its functions: NULL on success (and on every later call), otherwise
// what the dynamic loader said. Not thread-safe: the REPL calls it from one thread.
const char *refonte_editline_open(void);

// An editor on the process's terminal streams (C's globals, which Swift 6 cannot name).
EditLine *refonte_el_init(const char *program);
void refonte_el_end(EditLine *el);
const char *refonte_el_gets(EditLine *el, int *count);
int refonte_el_insertstr(EditLine *el, const char *text);
const LineInfo *refonte_el_line(EditLine *el);
// ~/.editrc (NULL), as every libedit program reads it.
int refonte_el_source(EditLine *el, const char *path);

// Text written where the editor draws (its listing of completions).
void refonte_el_print(const char *text);

typedef unsigned char (*refonte_el_command)(EditLine *, int);
typedef char *(*refonte_el_prompt)(EditLine *);

int refonte_el_set_prompt(EditLine *el, refonte_el_prompt prompt);
int refonte_el_set_editor(EditLine *el, const char *mode);
// With signal handling on, editline puts the terminal back and redraws around SIGTSTP/SIGCONT
// and follows the window's size (SIGWINCH).
int refonte_el_set_signal(EditLine *el, int on);
int refonte_el_set_history(EditLine *el, History *h);
int refonte_el_add_command(EditLine *el, const char *name, const char *help, refonte_el_command command);
int refonte_el_bind(EditLine *el, const char *key, const char *command);
// `setty -d <mode>`: a terminal mode while editing (`-isig`: Ctrl-C reaches the editor as a key).
int refonte_el_edit_tty(EditLine *el, const char *mode);
// The terminal in the editor's mode (1) or back as it was (0). el_gets prints the prompt before
// it switches the terminal itself: a key typed in between (Ctrl-D as the prompt appears) would
// reach the terminal's own line editing, where Ctrl-D is no key.
int refonte_el_prep_term(EditLine *el, int on);
int refonte_el_set_client(EditLine *el, void *data);
void *refonte_el_client(EditLine *el);

History *refonte_history_init(void);
void refonte_history_end(History *h);
int refonte_history_set_size(History *h, int size);
int refonte_history_set_unique(History *h, int on);
int refonte_history_enter(History *h, const char *entry);
int refonte_history_load(History *h, const char *path);
// Entries are written with their line breaks escaped (strvis), so a multi-line entry stays one.
int refonte_history_save(History *h, FILE *file);

// Ctrl-C while a statement runs. The handler only writes a byte to a pipe (all a signal handler
// may safely do); a thread reading the pipe interrupts the Lua state. While editing, Ctrl-C is a
// key instead (`-isig` above), so it never arrives as a signal at the prompt.
//
// Sends SIGINT to `fd` (the pipe's non-blocking write end) from now on; -1 on failure.
int refonte_catch_sigint(int fd);
int refonte_default_sigint(void);

#endif
