#include "parsers/logs/log_line_prefix.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace parsers::logs {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::size_t count_digits(std::string_view s, std::size_t at) {
    std::size_t n = 0;
    while (at + n < s.size() && is_digit(s[at + n])) {
        ++n;
    }
    return n;
}

bool digits_at(std::string_view s, std::size_t at, std::size_t count) {
    if (at + count > s.size()) {
        return false;
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (!is_digit(s[at + i])) {
            return false;
        }
    }
    return true;
}

// `2025-07-18 09:00:00[.123][ TZ|+hh:mm|Z]` starting at `at`; returns its length or 0.
std::size_t scan_timestamp(std::string_view s, std::size_t at, bool* has_fraction = nullptr) {
    if (!digits_at(s, at, 4) || at + 19 > s.size() || s[at + 4] != '-' ||
        !digits_at(s, at + 5, 2) || s[at + 7] != '-' || !digits_at(s, at + 8, 2) ||
        (s[at + 10] != ' ' && s[at + 10] != 'T') || !digits_at(s, at + 11, 2) ||
        s[at + 13] != ':' || !digits_at(s, at + 14, 2) || s[at + 16] != ':' ||
        !digits_at(s, at + 17, 2)) {
        return 0;
    }
    std::size_t end = at + 19;
    if (has_fraction != nullptr) {
        *has_fraction = false;
    }
    if (end < s.size() && (s[end] == '.' || s[end] == ',') && count_digits(s, end + 1) > 0) {
        end += 1 + count_digits(s, end + 1);
        if (has_fraction != nullptr) {
            *has_fraction = true;
        }
    }
    // A zone written right after the time: Z, +00:00, -05.
    if (end < s.size() && (s[end] == 'Z')) {
        return end + 1 - at;
    }
    if (end < s.size() && (s[end] == '+' || s[end] == '-') && count_digits(s, end + 1) >= 2) {
        end += 1 + count_digits(s, end + 1);
        if (end < s.size() && s[end] == ':' && count_digits(s, end + 1) == 2) {
            end += 3;
        }
        return end - at;
    }
    // A zone after a space, as PostgreSQL's %m/%t print it: " UTC", " CEST", " +03".
    if (end + 1 < s.size() && s[end] == ' ') {
        std::size_t zone = end + 1;
        if (is_alpha(s[zone])) {
            std::size_t n = 0;
            while (zone + n < s.size() && is_alpha(s[zone + n])) {
                ++n;
            }
            // `GMT+5`: an offset after the letters.
            if (zone + n < s.size() && (s[zone + n] == '+' || s[zone + n] == '-') &&
                count_digits(s, zone + n + 1) > 0) {
                n += 1 + count_digits(s, zone + n + 1);
            }
            // Zone abbreviations are short; a longer word is the next field.
            if (n <= 6) {
                return zone + n - at;
            }
        } else if ((s[zone] == '+' || s[zone] == '-') && count_digits(s, zone + 1) >= 2) {
            std::size_t n = 1 + count_digits(s, zone + 1);
            if (zone + n < s.size() && s[zone + n] == ':' && count_digits(s, zone + n + 1) == 2) {
                n += 3;
            }
            return zone + n - at;
        }
    }
    return end - at;
}

// `1752829200.123`: seconds since 1970 with milliseconds.
std::size_t scan_epoch(std::string_view s, std::size_t at) {
    const std::size_t seconds = count_digits(s, at);
    if (seconds < 9 || seconds > 11 || at + seconds >= s.size() || s[at + seconds] != '.') {
        return 0;
    }
    const std::size_t fraction = count_digits(s, at + seconds + 1);
    return fraction == 0 ? 0 : seconds + 1 + fraction;
}

// `5a3c732f.52f7`: %c, the process start time and pid in hex.
std::size_t scan_session_id(std::string_view s, std::size_t at) {
    std::size_t n = 0;
    while (at + n < s.size() && is_hex(s[at + n])) {
        ++n;
    }
    if (n == 0 || n > 8 || at + n >= s.size() || s[at + n] != '.') {
        return 0;
    }
    std::size_t m = 0;
    while (at + n + 1 + m < s.size() && is_hex(s[at + n + 1 + m])) {
        ++m;
    }
    if (m == 0 || m > 8) {
        return 0;
    }
    return n + 1 + m;
}

constexpr std::array<std::string_view, 20> severities = {
    "LOG",    "ERROR",   "WARNING",   "NOTICE", "INFO",     "DEBUG", "DEBUG1",
    "DEBUG2", "DEBUG3",  "DEBUG4",    "DEBUG5", "FATAL",    "PANIC", "DETAIL",
    "HINT",   "CONTEXT", "STATEMENT", "QUERY",  "LOCATION", "TRACE"};

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long days_from_civil(long year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const long era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

long number_at(std::string_view s, std::size_t at, std::size_t count) {
    long value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        value = value * 10 + (s[at + i] - '0');
    }
    return value;
}

} // namespace

double timestamp_to_ms(std::string_view text) {
    if (text.empty()) {
        return NAN;
    }
    if (const std::size_t epoch = scan_epoch(text, 0); epoch > 0) {
        const std::size_t dot = text.find('.');
        const double seconds = static_cast<double>(number_at(text, 0, dot));
        const std::size_t fraction = std::min<std::size_t>(epoch - dot - 1, 6);
        return seconds * 1000.0 + static_cast<double>(number_at(text, dot + 1, fraction)) * 1000.0 /
                                      std::pow(10.0, static_cast<double>(fraction));
    }
    bool fraction = false;
    if (scan_timestamp(text, 0, &fraction) > 0) {
        const long days =
            days_from_civil(number_at(text, 0, 4), static_cast<unsigned>(number_at(text, 5, 2)),
                            static_cast<unsigned>(number_at(text, 8, 2)));
        double ms = (static_cast<double>(days) * 86400.0 +
                     static_cast<double>(number_at(text, 11, 2) * 3600 +
                                         number_at(text, 14, 2) * 60 + number_at(text, 17, 2))) *
                    1000.0;
        std::size_t at = 19;
        if (fraction) {
            const std::size_t digits = count_digits(text, 20);
            const std::size_t used = std::min<std::size_t>(digits, 6);
            ms += static_cast<double>(number_at(text, 20, used)) * 1000.0 /
                  std::pow(10.0, static_cast<double>(used));
            at = 20 + digits;
        }
        if (at < text.size() && text[at] == ' ') {
            ++at;
        }
        if (at < text.size() && (text[at] == '+' || text[at] == '-') &&
            count_digits(text, at + 1) >= 2) {
            const double sign = text[at] == '+' ? 1.0 : -1.0;
            double offset = static_cast<double>(number_at(text, at + 1, 2)) * 60.0;
            const std::size_t rest = at + 3;
            if (rest + 2 < text.size() + 1 && rest < text.size() && text[rest] == ':' &&
                count_digits(text, rest + 1) == 2) {
                offset += static_cast<double>(number_at(text, rest + 1, 2));
            } else if (count_digits(text, at + 1) == 4) {
                offset += static_cast<double>(number_at(text, at + 3, 2));
            }
            ms -= sign * offset * 60000.0;
        }
        return ms;
    }
    // Syslog: `Feb 11 13:15:39` (no year: read as 1970, enough to order one log's events).
    static constexpr std::array<std::string_view, 12> months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (text.size() >= 15 && text[3] == ' ' && text[6] == ' ' && text[9] == ':' &&
        text[12] == ':') {
        for (std::size_t m = 0; m < months.size(); ++m) {
            if (text.substr(0, 3) == months[m]) {
                const long day = text[4] == ' ' ? text[5] - '0' : number_at(text, 4, 2);
                const long days =
                    days_from_civil(1970, static_cast<unsigned>(m + 1), static_cast<unsigned>(day));
                return (static_cast<double>(days) * 86400.0 +
                        static_cast<double>(number_at(text, 7, 2) * 3600 +
                                            number_at(text, 10, 2) * 60 + number_at(text, 13, 2))) *
                       1000.0;
            }
        }
    }
    return NAN;
}

bool match_severity(std::string_view line, std::size_t position, PrefixMatch& result) {
    std::size_t end = position;
    while (end < line.size() && ((line[end] >= 'A' && line[end] <= 'Z') || is_digit(line[end]))) {
        ++end;
    }
    if (end == position || end >= line.size() || line[end] != ':') {
        return false;
    }
    const std::string_view word = line.substr(position, end - position);
    if (std::find(severities.begin(), severities.end(), word) == severities.end()) {
        return false;
    }
    // PostgreSQL writes two spaces after the colon; some relays squeeze them to one.
    std::size_t message = end + 1;
    while (message < line.size() && message < end + 3 && line[message] == ' ') {
        ++message;
    }
    if (message == end + 1 && message < line.size()) {
        return false;
    }
    result.severity = word;
    result.message = line.substr(message);
    return true;
}

std::optional<LogLinePrefix> LogLinePrefix::compile(std::string_view setting, std::string* error) {
    LogLinePrefix prefix;
    prefix.setting_ = std::string(setting);
    auto add_literal = [&](char c) {
        if (prefix.items_.empty() || prefix.items_.back().kind != ItemKind::literal) {
            prefix.items_.push_back({ItemKind::literal, ""});
        }
        prefix.items_.back().literal.push_back(c);
    };
    for (std::size_t i = 0; i < setting.size(); ++i) {
        if (setting[i] != '%') {
            add_literal(setting[i]);
            continue;
        }
        if (i + 1 >= setting.size()) {
            add_literal('%');
            break;
        }
        const char escape = setting[++i];
        ItemKind kind = ItemKind::text;
        switch (escape) {
        case '%':
            add_literal('%');
            continue;
        case 'm':
        case 't':
        case 's':
            kind = ItemKind::timestamp;
            break;
        case 'n':
            kind = ItemKind::epoch;
            break;
        case 'p':
            kind = ItemKind::pid;
            prefix.has_pid_ = true;
            break;
        case 'l':
        case 'x':
            kind = ItemKind::digits;
            break;
        case 'Q':
            kind = ItemKind::signed_digits;
            break;
        case 'v':
            kind = ItemKind::vxid;
            break;
        case 'c':
            kind = ItemKind::session;
            prefix.has_session_id_ = true;
            break;
        case 'u':
            kind = ItemKind::user;
            break;
        case 'd':
            kind = ItemKind::database;
            break;
        case 'a':
            kind = ItemKind::application;
            break;
        case 'h':
        case 'r':
        case 'e':
        case 'i':
        case 'b':
        case 'P':
        case '*':
            kind = ItemKind::text;
            break;
        case 'q':
            kind = ItemKind::session_only;
            break;
        default:
            if (error != nullptr) {
                *error = std::string("unknown escape %") + escape + " in log_line_prefix";
            }
            return std::nullopt;
        }
        prefix.items_.push_back({kind, ""});
    }
    prefix.session_only_at_ = prefix.items_.size();
    for (std::size_t i = 0; i < prefix.items_.size(); ++i) {
        if (prefix.items_[i].kind == ItemKind::session_only) {
            prefix.session_only_at_ = i;
            break;
        }
    }
    return prefix;
}

bool LogLinePrefix::match_items(std::string_view line, std::size_t first, std::size_t last,
                                std::size_t& position, PrefixFields& fields) const {
    std::size_t at = position;
    for (std::size_t i = first; i < last; ++i) {
        const Item& item = items_[i];
        std::size_t length = 0;
        switch (item.kind) {
        case ItemKind::literal:
            if (line.compare(at, item.literal.size(), item.literal) != 0) {
                return false;
            }
            at += item.literal.size();
            continue;
        case ItemKind::session_only:
            continue;
        case ItemKind::timestamp:
            length = scan_timestamp(line, at);
            if (length == 0) {
                return false;
            }
            fields.timestamp = line.substr(at, length);
            break;
        case ItemKind::epoch:
            length = scan_epoch(line, at);
            if (length == 0) {
                return false;
            }
            fields.timestamp = line.substr(at, length);
            break;
        case ItemKind::pid:
        case ItemKind::digits:
            length = count_digits(line, at);
            if (length == 0) {
                return false;
            }
            if (item.kind == ItemKind::pid) {
                fields.pid = line.substr(at, length);
            }
            break;
        case ItemKind::signed_digits:
            length = (at < line.size() && line[at] == '-') ? 1 : 0;
            length += count_digits(line, at + length);
            if (length == 0) {
                return false;
            }
            break;
        case ItemKind::vxid:
            length = count_digits(line, at);
            if (at + length < line.size() && line[at + length] == '/') {
                length += 1 + count_digits(line, at + length + 1);
            }
            break;
        case ItemKind::session:
            length = scan_session_id(line, at);
            if (length == 0) {
                return false;
            }
            fields.session = line.substr(at, length);
            break;
        case ItemKind::user:
        case ItemKind::database:
        case ItemKind::application:
        case ItemKind::text: {
            // Free text runs up to the next literal (PostgreSQL does not quote these values).
            const Item* next = nullptr;
            for (std::size_t k = i + 1; k < items_.size(); ++k) {
                if (items_[k].kind == ItemKind::literal) {
                    next = &items_[k];
                    break;
                }
                if (items_[k].kind != ItemKind::session_only) {
                    break;
                }
            }
            std::size_t end = std::string_view::npos;
            if (next != nullptr) {
                end = line.find(next->literal[0], at);
            } else {
                end = line.find(' ', at);
            }
            if (end == std::string_view::npos) {
                return false;
            }
            length = end - at;
            const std::string_view value = line.substr(at, length);
            if (item.kind == ItemKind::user) {
                fields.user = value;
            } else if (item.kind == ItemKind::database) {
                fields.database = value;
            } else if (item.kind == ItemKind::application) {
                fields.application = value;
            }
            break;
        }
        }
        at += length;
    }
    position = at;
    return true;
}

bool LogLinePrefix::match(std::string_view line, PrefixMatch& result) const {
    result.fields = PrefixFields{};
    std::size_t position = 0;
    if (!match_items(line, 0, session_only_at_, position, result.fields)) {
        return false;
    }
    if (session_only_at_ < items_.size()) {
        // Background processes print nothing after %q: try the line both ways.
        std::size_t full = position;
        PrefixFields fields = result.fields;
        if (match_items(line, session_only_at_ + 1, items_.size(), full, fields) &&
            match_severity(line, full, result)) {
            result.fields = fields;
            return true;
        }
    }
    return match_severity(line, position, result);
}

namespace {

// The log_line_prefix escape that prints a `key=value` field, by the key's usual spellings.
std::string escape_for_key(std::string_view key) {
    static const std::map<std::string_view, std::string_view> escapes = {
        {"user", "%u"},        {"usr", "%u"},
        {"u", "%u"},           {"db", "%d"},
        {"database", "%d"},    {"dbname", "%d"},
        {"app", "%a"},         {"appli", "%a"},
        {"application", "%a"}, {"application_name", "%a"},
        {"client", "%h"},      {"host", "%h"},
        {"remote", "%r"},      {"pid", "%p"},
        {"session", "%c"},     {"sid", "%c"},
        {"queryid", "%Q"},     {"query_id", "%Q"},
        {"xid", "%x"},         {"txid", "%x"},
        {"vxid", "%v"},        {"sql_error_code", "%e"},
        {"sqlstate", "%e"},    {"line", "%l"},
        {"backend", "%b"},     {"tag", "%i"}};
    const auto found = escapes.find(key);
    return found == escapes.end() ? "%*" : std::string(found->second);
}

std::string escape_percent(std::string_view text) {
    std::string escaped;
    for (const char c : text) {
        escaped += c;
        if (c == '%') {
            escaped += '%';
        }
    }
    return escaped;
}

// Where the severity of a stderr line starts, if the line has one.
std::optional<std::size_t> find_severity(std::string_view line) {
    PrefixMatch unused;
    for (std::size_t at = 0; at < line.size() && at < 512; ++at) {
        if (line[at] >= 'A' && line[at] <= 'Z' &&
            (at == 0 || !(is_alpha(line[at - 1]) || is_digit(line[at - 1]))) &&
            match_severity(line, at, unused)) {
            return at;
        }
    }
    return std::nullopt;
}

// Turns the prefix text of one line into log_line_prefix tokens, e.g.
// "2025-07-18 09:00:00.123 UTC [4242] app@appdb " -> "%m", " [", "%p", "] ", "%u@%d", " ".
std::vector<std::string> infer_tokens(std::string_view text) {
    std::vector<std::string> tokens;
    std::string literal;
    bool saw_pid = false;
    auto flush = [&] {
        if (!literal.empty()) {
            tokens.push_back(escape_percent(literal));
            literal.clear();
        }
    };
    auto emit = [&](std::string token) {
        flush();
        tokens.push_back(std::move(token));
    };
    auto token_end = [&](std::size_t at) {
        std::size_t end = at;
        while (end < text.size() && text[end] != ' ' && text[end] != ',' && text[end] != ':' &&
               !(text[end] == ']' && text.substr(at, end - at).find('[') == std::string::npos)) {
            ++end;
        }
        return end;
    };
    std::size_t i = 0;
    while (i < text.size()) {
        bool fraction = false;
        if (const std::size_t n = scan_timestamp(text, i, &fraction); n > 0) {
            emit(fraction ? "%m" : "%t");
            i += n;
            continue;
        }
        if (const std::size_t n = scan_epoch(text, i); n > 0) {
            emit("%n");
            i += n;
            continue;
        }
        if (is_alpha(text[i]) || text[i] == '_') {
            std::size_t word = i;
            while (word < text.size() && (is_alpha(text[word]) || text[word] == '_')) {
                ++word;
            }
            std::size_t value = word;
            std::string separator;
            if (value < text.size() && text[value] == '=') {
                separator = "=";
                ++value;
            } else if (text.compare(value, 3, " = ") == 0) {
                separator = " = ";
                value += 3;
            }
            if (!separator.empty()) {
                std::size_t value_end = value;
                if (value_end < text.size() && text[value_end] == '[') {
                    const std::size_t close = text.find(']', value_end);
                    value_end = close == std::string_view::npos ? text.size() : close + 1;
                }
                while (value_end < text.size() && text[value_end] != ',' &&
                       text[value_end] != ' ' && text[value_end] != ']') {
                    ++value_end;
                }
                const std::string_view key = text.substr(i, word - i);
                literal += key;
                literal += separator;
                emit(escape_for_key(key));
                i = value_end;
                continue;
            }
        }
        const std::size_t end = token_end(i);
        const std::string_view token = text.substr(i, end - i);
        if (token.find('@') != std::string_view::npos &&
            (i == 0 || text[i - 1] == ' ' || text[i - 1] == ':' || text[i - 1] == ']')) {
            emit("%u@%d");
            i = end;
            continue;
        }
        if (text[i] == '[') {
            const std::size_t close = text.find(']', i);
            if (close != std::string_view::npos) {
                const std::string_view inner = text.substr(i + 1, close - i - 1);
                const std::size_t digits = count_digits(inner, 0);
                const std::size_t equals = inner.find('=');
                std::string replacement;
                if (!inner.empty() && digits == inner.size()) {
                    replacement = saw_pid ? "[%x]" : "[%p]";
                    saw_pid = true;
                } else if (digits > 0 && digits < inner.size() && inner[digits] == '-' &&
                           count_digits(inner, digits + 1) == inner.size() - digits - 1) {
                    replacement =
                        saw_pid ? "[%l-" + std::string(inner.substr(digits + 1)) + "]" : "[%p-%l]";
                    saw_pid = true;
                } else if (equals != std::string_view::npos && equals > 0) {
                    replacement = "[" + escape_percent(inner.substr(0, equals)) + "=" +
                                  escape_for_key(inner.substr(0, equals)) + "]";
                } else if (!inner.empty() && inner.find(' ') == std::string_view::npos) {
                    replacement = "%r"; // [local]
                }
                if (!replacement.empty()) {
                    emit(replacement);
                    i = close + 1;
                    continue;
                }
            }
        }
        if (is_hex(text[i])) {
            if (const std::size_t n = scan_session_id(text, i); n > 0 && i + n == end) {
                emit("%c");
                i += n;
                continue;
            }
        }
        if (is_digit(text[i])) {
            // An address: 10.0.0.1 or 10.0.0.1(5432).
            std::size_t n = 0;
            int dots = 0;
            while (i + n < text.size() && (is_digit(text[i + n]) || text[i + n] == '.')) {
                dots += text[i + n] == '.' ? 1 : 0;
                ++n;
            }
            if (dots == 3) {
                emit(i + n < text.size() && text[i + n] == '(' ? "%r" : "%h");
                i = end;
                continue;
            }
            if (dots == 0 && i + n == end) {
                emit(saw_pid ? "%*" : "%p");
                saw_pid = true;
                i = end;
                continue;
            }
        }
        literal += text[i];
        ++i;
    }
    flush();
    return tokens;
}

std::string join_tokens(const std::vector<std::string>& tokens, std::size_t count) {
    std::string joined;
    for (std::size_t i = 0; i < count && i < tokens.size(); ++i) {
        joined += tokens[i];
    }
    return joined;
}

} // namespace

std::optional<LogLinePrefix> infer_log_line_prefix(const std::vector<std::string_view>& lines) {
    std::map<std::vector<std::string>, std::size_t> votes;
    std::size_t candidates = 0;
    for (const std::string_view line : lines) {
        if (line.empty() || line[0] == '\t' || line[0] == ' ') {
            continue;
        }
        ++candidates;
        if (const auto severity = find_severity(line)) {
            ++votes[infer_tokens(line.substr(0, *severity))];
        }
    }
    if (votes.empty()) {
        return std::nullopt;
    }
    // The most common prefix; ties go to the longer one (it names more fields).
    auto best = votes.begin();
    for (auto it = votes.begin(); it != votes.end(); ++it) {
        if (it->second > best->second ||
            (it->second == best->second && it->first.size() > best->first.size())) {
            best = it;
        }
    }
    std::vector<std::string> tokens = best->first;
    // Lines of background processes stop where %q stands: a shorter prefix that the winner
    // starts with says where to put it.
    std::size_t session_only_at = 0;
    std::size_t session_only_votes = 0;
    for (const auto& [other, count] : votes) {
        if (other.size() < tokens.size() && !other.empty() &&
            std::equal(other.begin(), other.end(), tokens.begin()) && count > session_only_votes) {
            session_only_at = other.size();
            session_only_votes = count;
        }
    }
    // A longer prefix that starts with the winner: the winner's lines stop at %q.
    std::size_t longer_votes = 0;
    const std::vector<std::string>* longer = nullptr;
    for (const auto& [other, count] : votes) {
        if (other.size() > tokens.size() &&
            std::equal(tokens.begin(), tokens.end(), other.begin()) && count > longer_votes) {
            longer = &other;
            longer_votes = count;
        }
    }
    std::string setting = join_tokens(tokens, tokens.size());
    if (longer != nullptr) {
        setting += "%q" + join_tokens(*longer, longer->size()).substr(setting.size());
    } else if (session_only_votes > 0) {
        setting = join_tokens(tokens, session_only_at) + "%q" +
                  setting.substr(join_tokens(tokens, session_only_at).size());
    }
    auto prefix = LogLinePrefix::compile(setting, nullptr);
    if (!prefix) {
        return std::nullopt;
    }
    // It must describe most lines, or the guess is wrong.
    std::size_t matched = 0;
    PrefixMatch unused;
    for (const std::string_view line : lines) {
        if (!line.empty() && line[0] != '\t' && line[0] != ' ' && prefix->match(line, unused)) {
            ++matched;
        }
    }
    if (matched * 2 < candidates || matched == 0) {
        return std::nullopt;
    }
    return prefix;
}

} // namespace parsers::logs
