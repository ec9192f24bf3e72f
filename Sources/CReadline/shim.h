#ifndef PRUNEBOOK_CREADLINE_SHIM_H
#define PRUNEBOOK_CREADLINE_SHIM_H
/* readline's headers use FILE without including stdio.h. Swift 6 rejects direct use of
   readline's C globals, so each one the REPL needs gets a static inline accessor here. */
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

static inline const char *prb_rl_library_version(void) { return rl_library_version; }
#endif
