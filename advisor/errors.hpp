// Errors that stop a run: unreadable input (raised by the readers in parsers/), bad usage.
// Expected per-line problems are values (CatalogWarning, workload errors), not exceptions.
#pragma once

#include "parsers/input_error.hpp"

#include <stdexcept>
#include <string>

namespace advisor {

// Input that cannot be read at all (missing, a directory, binary, empty). Exit status 2.
using parsers::InputError;

// Bad command-line usage. Exit status 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace advisor
