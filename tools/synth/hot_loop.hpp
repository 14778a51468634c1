// x86-64 GCC builds also get an AVX2+FMA version of the synthesizer's hot loops, picked at run time
// (other compilers and platforms use the plain code).
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TW_SYNTH_HOT __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define TW_SYNTH_HOT
#endif
