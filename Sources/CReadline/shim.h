#ifndef PRUNEBOOK_CREADLINE_SHIM_H
#define PRUNEBOOK_CREADLINE_SHIM_H
/* readline's headers use FILE without including stdio.h. Swift 6 rejects direct use of
   readline's C globals, so each one the REPL needs gets a static inline accessor here. */
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

static inline const char *prb_rl_library_version(void) { return rl_library_version; }

/* Set-up (Terminal/ReadlineEditor.swift). */
static inline void prb_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void prb_rl_set_catch_signals(int value) { rl_catch_signals = value; }

/* Completion. */
static inline void prb_rl_set_attempted_completion_function(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}
static inline void prb_rl_set_attempted_completion_over(int value) { rl_attempted_completion_over = value; }
static inline void prb_rl_set_completion_suppress_append(int value) { rl_completion_suppress_append = value; }
static inline void prb_rl_set_completer_word_break_characters(const char *characters) {
    rl_completer_word_break_characters = characters;
}
/* No quote characters: otherwise, completing after a `"` word break appends a closing `"`. */
static inline void prb_rl_clear_basic_quote_characters(void) { rl_basic_quote_characters = ""; }
static inline const char *prb_rl_line_buffer(void) { return rl_line_buffer; }
static inline int prb_rl_point(void) { return rl_point; }

/* History file format: timestamps let multi-line entries survive a restart. */
static inline void prb_history_set_write_timestamps(int value) { history_write_timestamps = value; }
static inline void prb_history_set_comment_char(char value) { history_comment_char = value; }
#endif
