// libFuzzer's driver entry point (compiler-rt FuzzerInterface.h / FuzzerDriver.cpp), linked
// by `-sanitize=fuzzer`. The fuzz binary's own `main` calls it, so SwiftPM's renamed entry
// point (`--defsym main=<module>_main`) and libFuzzer agree on who owns `main`.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
