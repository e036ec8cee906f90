// The part of ncursesw that TerminalUI uses. Macros and globals (stdscr, LINES, COLS, COLOR_PAIR,
// A_* attributes) are wrapped in static inline functions: Swift cannot import macros with
// arguments, and Swift 6 refuses to touch C globals that are not concurrency-safe.
#ifndef RELDASH_CNCURSESW_SHIM_H
#define RELDASH_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <ncursesw/curses.h>

static inline WINDOW *rd_stdscr(void) { return stdscr; }
static inline int rd_lines(void) { return LINES; }
static inline int rd_cols(void) { return COLS; }
static inline int rd_err(void) { return ERR; }
static inline int rd_key_code_yes(void) { return KEY_CODE_YES; }
static inline int rd_key_resize(void) { return KEY_RESIZE; }
static inline int rd_key_up(void) { return KEY_UP; }
static inline int rd_key_down(void) { return KEY_DOWN; }
static inline int rd_key_left(void) { return KEY_LEFT; }
static inline int rd_key_right(void) { return KEY_RIGHT; }
static inline int rd_key_home(void) { return KEY_HOME; }
static inline int rd_key_end(void) { return KEY_END; }
static inline int rd_key_ppage(void) { return KEY_PPAGE; }
static inline int rd_key_npage(void) { return KEY_NPAGE; }
static inline int rd_key_enter(void) { return KEY_ENTER; }
static inline int rd_key_btab(void) { return KEY_BTAB; }
static inline int rd_key_f5(void) { return KEY_F(5); }
static inline int rd_key_backspace(void) { return KEY_BACKSPACE; }
static inline attr_t rd_a_reverse(void) { return A_REVERSE; }
static inline attr_t rd_a_bold(void) { return A_BOLD; }
static inline attr_t rd_a_dim(void) { return A_DIM; }
static inline attr_t rd_a_normal(void) { return A_NORMAL; }

/// Reads one wide character or key from stdscr; returns OK, KEY_CODE_YES or ERR (timeout).
static inline int rd_get_wch(unsigned int *out) {
    wint_t key = 0;
    int result = wget_wch(stdscr, &key);
    *out = (unsigned int)key;
    return result;
}

/// Sets the attributes and colour pair of what stdscr writes next.
static inline void rd_set_attributes(attr_t attributes, short pair) {
    wattr_set(stdscr, attributes, pair, NULL);
}

/// Writes `length` bytes of UTF-8 at row, column of stdscr (multibyte per the locale).
static inline void rd_write(int row, int column, const char *text, int length) {
    mvwaddnstr(stdscr, row, column, text, length);
}

/// Opens the terminal at `path` for reading and writing (the tty, not stdin/stdout).
static inline FILE *rd_open_tty(const char *path) { return fopen(path, "r+"); }

static inline void rd_set_timeout(int milliseconds) { wtimeout(stdscr, milliseconds); }
static inline void rd_keypad(void) { keypad(stdscr, TRUE); }
static inline void rd_refresh_stdscr(void) { wnoutrefresh(stdscr); }
static inline void rd_clear_ok(void) { clearok(stdscr, TRUE); }
static inline void rd_erase(void) { werase(stdscr); }

/// What the crash handler restores: the tty's settings before curses changed them, and the
/// handlers that were there before (the Swift runtime's backtracer), called next.
struct rd_crash_state {
    int fd;
    volatile sig_atomic_t armed;
    struct termios saved;
    struct sigaction previous[6];
};

static const int rd_crash_signals[6] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};

static inline struct rd_crash_state *rd_crash_state(void) {
    static struct rd_crash_state state;
    return &state;
}

/// On a fatal signal: only async-signal-safe calls (write, tcsetattr) put the terminal back
/// (attributes off, cursor shown, alternate screen left, saved settings), then the previous
/// handler runs, or the default action (the process dies of the signal, as it would have).
static inline void rd_crash_handler(int number) {
    struct rd_crash_state *state = rd_crash_state();
    if (state->armed) {
        static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
        ssize_t ignored = write(state->fd, reset, sizeof reset - 1);
        (void)ignored;
        tcsetattr(state->fd, TCSANOW, &state->saved);
        state->armed = 0;
    }
    for (int index = 0; index < 6; index++) {
        if (rd_crash_signals[index] == number) sigaction(number, &state->previous[index], NULL);
    }
    raise(number);
    // The previous handler returned (the Swift backtracer does, once it has printed): die of the
    // signal as the default action would (a fault re-executed after return dies the same way).
    signal(number, SIG_DFL);
    raise(number);
}

/// Saves the settings of the tty `fd` and installs the crash handler; 0 on success.
static inline int rd_arm_crash_restore(int fd) {
    struct rd_crash_state *state = rd_crash_state();
    if (tcgetattr(fd, &state->saved) != 0) return -1;
    state->fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = rd_crash_handler;
    action.sa_flags = SA_NODEFER;
    sigemptyset(&action.sa_mask);
    for (int index = 0; index < 6; index++) sigaction(rd_crash_signals[index], &action, &state->previous[index]);
    state->armed = 1;
    return 0;
}

/// After a normal exit (endwin done): the handler no longer touches the terminal.
static inline void rd_disarm_crash_restore(void) { rd_crash_state()->armed = 0; }

#endif
