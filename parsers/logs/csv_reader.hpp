// PostgreSQL's csvlog (log_destination = 'csvlog') and CSV exports with a header that name the
// same fields (Supabase's log explorer: error_severity, event_message, timestamp).
//
// csvlog has 22 to 26 columns across versions (13 added backend_type, 14 leader_pid and
// query_id; some writers drop the last ones): only the positions every version shares are read
// (log_time 0, user 1, database 2, pid 3, session id 5, severity 11, message 13, detail 14,
// query 19, application 22). A quoted field may hold newlines and doubled quotes.
#pragma once

#include "parsers/logs/log_reader.hpp"
#include "parsers/logs/pg_messages.hpp"

#include <string>
#include <vector>

namespace parsers::logs {

// Reads CSV records (RFC 4180 quoting) that may span lines, from a LineReader.
class CsvRecordReader {
public:
    explicit CsvRecordReader(LineReader& lines, std::size_t max_record_bytes);

    enum class Outcome { record, end, too_long, unterminated, unreadable_line };
    // Reads the next record into `fields` (reusing their buffers); `field_count` says how many
    // are valid. first_line and line_count locate the record in the file.
    Outcome next(std::vector<std::string>& fields, std::size_t& field_count);

    int first_line() const { return first_line_; }
    int line_count() const { return line_count_; }
    // When the outcome is unreadable_line: why (NUL byte, line over the limit).
    const std::string& problem() const { return problem_; }

private:
    LineReader& lines_;
    std::size_t max_record_bytes_;
    int first_line_ = 0;
    int line_count_ = 0;
    std::string problem_;
};

// Column positions of the fields a statement needs; -1 when the input lacks one.
struct CsvColumns {
    int timestamp = 0, user = 1, database = 2, pid = 3, session = 5, severity = 11, message = 13,
        detail = 14, statement = 19, application = 22;
};

// The columns a header names, when `fields` is a header row of a PostgreSQL log export.
std::optional<CsvColumns> csv_log_header_columns(const std::vector<std::string>& fields,
                                                 std::size_t count);

class CsvLogReader : public LogReader {
public:
    CsvLogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options);

    bool next(Statement& statement) override;

private:
    void add_record();
    std::string_view field(int column) const;

    LineReader lines_;
    CsvRecordReader records_;
    PgStatementAssembler assembler_;
    std::vector<std::string> fields_;
    std::size_t field_count_ = 0;
    CsvColumns columns_;
    bool first_record_ = true;
    bool finished_ = false;
    std::string timestamp_;
};

} // namespace parsers::logs
