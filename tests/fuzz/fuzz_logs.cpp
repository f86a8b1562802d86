// libFuzzer target: log format detection, every log reader, and the workload builder (cache
// keys, fingerprints, sessions). Any bytes must end in statements, counted skips or an
// InputError, never a crash, a hang or unbounded memory.
#include "advisor/errors.hpp"
#include "advisor/workload.hpp"
#include "parsers/logs/log_input.hpp"
#include "parsers/logs/log_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    parsers::logs::LogReadOptions options;
    options.max_line_bytes = 64 * 1024;
    try {
        auto reader =
            parsers::logs::open_log_reader(parsers::logs::memory_byte_source("fuzz.log", bytes),
                                           bytes.substr(0, 64 * 1024), options);
        advisor::WorkloadBuilder builder;
        parsers::logs::Statement statement;
        while (reader->next(statement)) {
            builder.add(statement);
        }
        builder.end_file();
        (void)builder.finish();
    } catch (const advisor::InputError&) {
    }
    return 0;
}
