// The REPL's line editor: libedit, opened on first use. In a .c file, not static functions in
// a header: a header's static table would be one copy per object file that Swift emits, and
// a copy that refonte_editline_open never filled would be read as empty.
#include "CEditLine.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static struct {
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    void (*el_end)(EditLine *);
    int (*el_set)(EditLine *, int, ...);
    int (*el_get)(EditLine *, int, ...);
    const char *(*el_gets)(EditLine *, int *);
    int (*el_insertstr)(EditLine *, const char *);
    const LineInfo *(*el_line)(EditLine *);
    int (*el_source)(EditLine *, const char *);
    History *(*history_init)(void);
    void (*history_end)(History *);
    int (*history)(History *, HistEvent *, int, ...);
} editline;

static int opened = 0;

const char *refonte_editline_open(void) {
    if (opened) return NULL;
    void *library = dlopen("libedit.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return dlerror();
    // POSIX lets a dlsym result be converted to a function pointer.
#define REFONTE_FIND(name)                                                                      \
    editline.name = (__typeof__(editline.name))dlsym(library, #name);                           \
    if (editline.name == NULL) return dlerror();
    REFONTE_FIND(el_init)
    REFONTE_FIND(el_end)
    REFONTE_FIND(el_set)
    REFONTE_FIND(el_get)
    REFONTE_FIND(el_gets)
    REFONTE_FIND(el_insertstr)
    REFONTE_FIND(el_line)
    REFONTE_FIND(el_source)
    REFONTE_FIND(history_init)
    REFONTE_FIND(history_end)
    REFONTE_FIND(history)
#undef REFONTE_FIND
    opened = 1;
    return NULL;
}

EditLine *refonte_el_init(const char *program) { return editline.el_init(program, stdin, stdout, stderr); }

void refonte_el_end(EditLine *el) { editline.el_end(el); }

const char *refonte_el_gets(EditLine *el, int *count) { return editline.el_gets(el, count); }

int refonte_el_insertstr(EditLine *el, const char *text) { return editline.el_insertstr(el, text); }

const LineInfo *refonte_el_line(EditLine *el) { return editline.el_line(el); }

int refonte_el_source(EditLine *el, const char *path) { return editline.el_source(el, path); }

void refonte_el_print(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

int refonte_el_set_prompt(EditLine *el, refonte_el_prompt prompt) { return editline.el_set(el, EL_PROMPT, prompt); }

int refonte_el_set_editor(EditLine *el, const char *mode) { return editline.el_set(el, EL_EDITOR, mode); }

int refonte_el_set_signal(EditLine *el, int on) { return editline.el_set(el, EL_SIGNAL, on); }

int refonte_el_set_history(EditLine *el, History *h) { return editline.el_set(el, EL_HIST, editline.history, h); }

int refonte_el_add_command(EditLine *el, const char *name, const char *help, refonte_el_command command) {
    return editline.el_set(el, EL_ADDFN, name, help, command);
}

int refonte_el_bind(EditLine *el, const char *key, const char *command) {
    return editline.el_set(el, EL_BIND, key, command, NULL);
}

int refonte_el_edit_tty(EditLine *el, const char *mode) { return editline.el_set(el, EL_SETTY, "-d", mode, NULL); }

int refonte_el_prep_term(EditLine *el, int on) { return editline.el_set(el, EL_PREP_TERM, on); }

int refonte_el_set_client(EditLine *el, void *data) { return editline.el_set(el, EL_CLIENTDATA, data); }

void *refonte_el_client(EditLine *el) {
    void *data = NULL;
    if (editline.el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

History *refonte_history_init(void) { return editline.history_init(); }

void refonte_history_end(History *h) { editline.history_end(h); }

int refonte_history_set_size(History *h, int size) {
    HistEvent event;
    return editline.history(h, &event, H_SETSIZE, size);
}

int refonte_history_set_unique(History *h, int on) {
    HistEvent event;
    return editline.history(h, &event, H_SETUNIQUE, on);
}

int refonte_history_enter(History *h, const char *entry) {
    HistEvent event;
    return editline.history(h, &event, H_ENTER, entry);
}

int refonte_history_load(History *h, const char *path) {
    HistEvent event;
    return editline.history(h, &event, H_LOAD, path);
}

int refonte_history_save(History *h, FILE *file) {
    HistEvent event;
    return editline.history(h, &event, H_SAVE_FP, file);
}

static int interrupt_pipe = -1;

static void on_sigint(int signo) {
    (void)signo;
    int saved = errno;
    if (interrupt_pipe >= 0) {
        ssize_t written = write(interrupt_pipe, "i", 1);
        (void)written;
    }
    errno = saved;
}

int refonte_catch_sigint(int fd) {
    interrupt_pipe = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(SIGINT, &action, NULL);
}

int refonte_default_sigint(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGINT, &action, NULL);
}
