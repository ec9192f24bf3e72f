// The fuzz binary's entry point: hands the command line to libFuzzer's driver, which calls
// `fuzzOneInput` once per input (flags: `-max_total_time=S`, a corpus folder, ...). This
// `main` replaces libFuzzer's, which SwiftPM cannot link with `-parse-as-library`: it
// renames an executable's entry point and aliases `main` to it (docs/fuzzing.md).
// libFuzzer's own `main` is still linked and references `LLVMFuzzerTestOneInput`, hence
// the exported name.
import CLibFuzzer
import Foundation

/// Runs the target named by `PRUNEBOOK_FUZZ_TARGET` on one input. A property violation
/// stops the process (libFuzzer records the input as a crash).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    FuzzTarget.selected.run(bytes)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
// Checks PRUNEBOOK_FUZZ_TARGET before libFuzzer starts.
_ = FuzzTarget.selected
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
