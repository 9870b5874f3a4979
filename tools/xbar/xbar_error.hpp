#pragma once
// The one error type of the crossbar tools. Its message already says where (file:line:column
// for text, file: byte offset for binary files) and what was expected; the program prints it
// and exits non-zero.
#include <stdexcept>
#include <string>

namespace memspice::xbar {

class XbarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace memspice::xbar
