/* bench.h: entry point of `warmfork bench`. */
#ifndef WARMFORK_BENCH_H
#define WARMFORK_BENCH_H

int wf_bench_main(int argc, char **argv);

#endif
