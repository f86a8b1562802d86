#include "parsers/logs/sql_reader.hpp"

#include "parsers/pg_tree.hpp"
#include "parsers/sql_script.hpp"

#include <cctype>
#include <pg_query.h>

namespace parsers::logs {

// A std::streambuf over a ByteSource, so the psql-style splitter reads gzip input too.
class SqlFileReader::SourceBuffer : public std::streambuf {
public:
    explicit SourceBuffer(ByteSource& source) : source_(source), buffer_(1 << 16) {}

protected:
    int_type underflow() override {
        const std::size_t got = source_.read(buffer_.data(), buffer_.size());
        if (got == 0) {
            return traits_type::eof();
        }
        setg(buffer_.data(), buffer_.data(), buffer_.data() + got);
        return traits_type::to_int_type(buffer_[0]);
    }

private:
    ByteSource& source_;
    std::vector<char> buffer_;
};

namespace {

// COPY ... FROM STDIN is followed by data lines, not SQL.
bool is_copy_from_stdin(const std::string& text) {
    if (text.size() < 4 || !(std::toupper(static_cast<unsigned char>(text[0])) == 'C' &&
                             std::toupper(static_cast<unsigned char>(text[1])) == 'O' &&
                             std::toupper(static_cast<unsigned char>(text[2])) == 'P' &&
                             std::toupper(static_cast<unsigned char>(text[3])) == 'Y')) {
        return false;
    }
    const pg::ParseOutcome outcome = pg::parse(text);
    if (outcome.error || outcome.tree.size() != 1) {
        return false;
    }
    const pg::Node* node = outcome.tree.statement_node(0);
    return node != nullptr && node->node_case == PG_QUERY__NODE__NODE_COPY_STMT &&
           node->copy_stmt->is_from &&
           (node->copy_stmt->filename == nullptr || node->copy_stmt->filename[0] == '\0') &&
           !node->copy_stmt->is_program;
}

} // namespace

SqlFileReader::SqlFileReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options)
    : LogReader(std::move(source), options), buffer_(std::make_unique<SourceBuffer>(*source_)),
      stream_(std::make_unique<std::istream>(buffer_.get())),
      script_(std::make_unique<SqlScriptReader>(*stream_, options.max_line_bytes)) {}

SqlFileReader::~SqlFileReader() = default;

bool SqlFileReader::next(Statement& out) {
    for (;;) {
        if (ready_.pop(out)) {
            return true;
        }
        if (finished_) {
            return false;
        }
        const auto script_statement = script_->next();
        if (!script_statement) {
            finished_ = true;
            // A script's lines are statements, meta-commands or COPY data.
            counts_.lines = static_cast<std::uint64_t>(std::max(0, script_->line() - 1));
            counts_.entries[static_cast<std::size_t>(EntryKind::other)] += script_->meta_commands();
            counts_.entry_lines[static_cast<std::size_t>(EntryKind::other)] +=
                script_->meta_commands() + copy_lines_;
            counts_.statement_lines =
                counts_.lines - std::min(counts_.lines, script_->meta_commands() + copy_lines_);
            if (script_->binary_stop_line() > 0) {
                source_->set_damage("binary data (a run of NUL bytes longer than the statement "
                                    "limit): the rest of the file was not read");
                report(script_->binary_stop_line(), *source_->damage());
            } else if (source_->damage()) {
                report(script_->line(), *source_->damage());
            }
            continue;
        }
        if (script_statement->too_long) {
            report(script_statement->line, "statement of " +
                                               std::to_string(script_statement->bytes) +
                                               " bytes is longer than the limit: skipped");
            continue;
        }
        const std::string& text = script_statement->text;
        if (text.find('\0') != std::string::npos) {
            report(script_statement->line, "NUL byte in the statement: skipped");
            continue;
        }
        PgQuerySplitResult split = pg_query_split_with_scanner(text.c_str());
        if (split.error != nullptr || split.stmts == nullptr) {
            // The scanner could not read it; one statement, which fingerprinting will report.
            Statement& statement = ready_.push();
            statement.text = text;
            statement.file = source_->name();
            statement.line = script_statement->line;
            if (options_.sql_dialect == "sqlite") {
                use_sqlite_reading(statement, sqlite_query_for_postgres(statement.text));
            }
            counts_.statements += 1;
        } else {
            for (int i = 0; i < split.n_stmts; ++i) {
                const auto location = static_cast<std::size_t>(split.stmts[i]->stmt_location);
                const auto length = static_cast<std::size_t>(split.stmts[i]->stmt_len);
                std::string piece = text.substr(location, length == 0 ? std::string::npos : length);
                if (piece.find_first_not_of(" \t\r\n;") == std::string::npos) {
                    continue;
                }
                Statement& statement = ready_.push();
                statement.text = std::move(piece);
                statement.file = source_->name();
                const std::size_t first_token =
                    std::min(text.find_first_not_of(" \t\r\n", location), text.size());
                statement.line = script_statement->line - 1 + pg::line_of_offset(text, first_token);
                if (!valid_utf8(statement.text)) {
                    report(statement.line, "invalid UTF-8 in the statement: replaced with U+FFFD");
                    statement.text = repair_utf8(statement.text);
                }
                if (options_.sql_dialect == "sqlite") {
                    use_sqlite_reading(statement, sqlite_query_for_postgres(statement.text));
                }
                counts_.statements += 1;
            }
        }
        pg_query_free_split_result(split);
        if (is_copy_from_stdin(text)) {
            copy_lines_ += script_->skip_copy_data();
        }
    }
}

} // namespace parsers::logs
