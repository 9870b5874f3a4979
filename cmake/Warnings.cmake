# memspice_warnings: an interface target every project target links, so flags live in one place.
add_library(memspice_warnings INTERFACE)
target_compile_options(memspice_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers>)
