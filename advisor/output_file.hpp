// Writing output files safely: the whole content or nothing (temp file + rename), and never over
// an existing file unless the user asked (--force).
#pragma once

#include <string>

namespace advisor {

// Writes `content` to `path` atomically. Without `overwrite`, an existing file is left untouched
// and InputError is thrown (exit status 2). The temp file lives beside `path` (same filesystem).
void write_file_atomically(const std::string& path, const std::string& content, bool overwrite);

} // namespace advisor
