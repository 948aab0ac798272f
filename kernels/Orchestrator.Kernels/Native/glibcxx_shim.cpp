// Provides std::ios_base_library_init() (mangled _ZSt21ios_base_library_initv), which libstdc++ gained in GCC 13
// (GLIBCXX_3.4.32). TorchSharp's libLibTorchSharp.so was linked against that libstdc++ and references this one symbol;
// older hosts (Debian 12: GLIBCXX_3.4.30) lack it. GCC 13 emits the call to make sure the standard streams are
// initialised before use, which a function-local std::ios_base::Init does just as well on an older libstdc++.
#include <ios>

namespace std {
__attribute__((visibility("default"))) void ios_base_library_init() {
    static ios_base::Init init;
}
}
