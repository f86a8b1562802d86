#include "advisor/render/templates.hpp"

#include "advisor/errors.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace advisor {

namespace {

kainjow::mustache::data to_mustache(const nlohmann::json& value, std::size_t depth) {
    using kainjow::mustache::data;
    if (depth > max_template_depth) {
        throw std::length_error("template data nests deeper than " +
                                std::to_string(max_template_depth) + " levels");
    }
    switch (value.type()) {
    case nlohmann::json::value_t::object: {
        data object{data::type::object};
        for (const auto& [key, item] : value.items()) {
            object.set(key, to_mustache(item, depth + 1));
        }
        return object;
    }
    case nlohmann::json::value_t::array: {
        data list{data::type::list};
        for (const auto& item : value) {
            list.push_back(to_mustache(item, depth + 1));
        }
        return list;
    }
    case nlohmann::json::value_t::string:
        return data{value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
        return data{value.get<bool>()};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
        return data{false};
    default:
        return data{value.dump()}; // numbers: the shortest text that reads back the same value
    }
}

} // namespace

kainjow::mustache::data to_mustache(const nlohmann::json& value) {
    return to_mustache(value, 0);
}

void check_template_nesting(const std::string& text, const std::string& origin) {
    std::string open = "{{";
    std::string close = "}}";
    std::size_t depth = 0;
    std::size_t position = 0;
    while ((position = text.find(open, position)) != std::string::npos) {
        const std::size_t tag = position + open.size();
        std::size_t end = text.find(close, tag);
        if (end == std::string::npos) {
            return; // kainjow reports the unclosed tag
        }
        const char kind = tag < text.size() ? text[tag] : '\0';
        if (kind == '{' && close == "}}" && text.compare(end, 3, "}}}") == 0) {
            ++end; // {{{name}}}
        }
        if (kind == '#' || kind == '^') {
            if (++depth > max_template_depth) {
                const auto line =
                    1 + std::count(text.begin(), text.begin() + static_cast<long>(position), '\n');
                throw InputError(origin, static_cast<int>(line),
                                 "template sections nest deeper than " +
                                     std::to_string(max_template_depth) + " levels");
            }
        } else if (kind == '/' && depth > 0) {
            --depth;
        } else if (kind == '=') {
            // {{=<% %>=}} sets new delimiters.
            std::istringstream delimiters(text.substr(tag + 1, end - tag - 1));
            std::string new_open;
            std::string new_close;
            delimiters >> new_open >> new_close;
            if (new_close.ends_with('=')) {
                new_close.pop_back();
            }
            if (new_open.empty() || new_close.empty()) {
                return; // kainjow reports the bad tag
            }
            open = new_open;
            close = new_close;
        }
        position = end + close.size();
    }
}

namespace {

constexpr char template_sentinel = '\x01';

// True when a line holds nothing but section tags ({{#x}}, {{^x}}, {{/x}}, {{!...}}) and blanks.
bool is_standalone_tag_line(std::string_view line) {
    std::size_t i = 0;
    int tags = 0;
    while (i < line.size()) {
        if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
            ++i;
            continue;
        }
        if (line.compare(i, 2, "{{") != 0 || i + 2 >= line.size() ||
            std::string_view("#^/!").find(line[i + 2]) == std::string_view::npos) {
            return false;
        }
        const auto end = line.find("}}", i + 2);
        if (end == std::string_view::npos) {
            return false;
        }
        ++tags;
        i = end + 2;
    }
    return tags > 0;
}

} // namespace

std::string strip_standalone_tag_lines(const std::string& text) {
    // The Mustache spec drops a line that holds only section tags, with its whitespace and line
    // break. kainjow does so only for sections it renders, which would leave blank lines where a
    // section is skipped. So a standalone line's tags move to the start of the next line (the
    // line is gone, as the spec says), behind a sentinel that keeps kainjow from taking that
    // line for a standalone one too; render() removes the sentinels.
    std::string out;
    out.reserve(text.size());
    std::string pending; // tags of standalone lines not yet placed
    std::size_t start = 0;
    while (start < text.size()) {
        const auto newline = text.find('\n', start);
        const std::size_t end = newline == std::string::npos ? text.size() : newline + 1;
        const std::string_view line(text.data() + start,
                                    (newline == std::string::npos ? end : newline) - start);
        if (is_standalone_tag_line(line)) {
            for (const char c : line) {
                if (c != ' ' && c != '\t' && c != '\r') {
                    pending += c;
                }
            }
        } else {
            if (!pending.empty()) {
                out += template_sentinel;
                out += pending;
                pending.clear();
            }
            out.append(text, start, end - start);
        }
        start = end;
    }
    if (!pending.empty()) {
        out += template_sentinel;
        out += pending;
    }
    return out;
}

namespace {

std::string json_escape(const std::string& text) {
    // Invalid UTF-8 (from a schema or log written in another encoding) becomes U+FFFD.
    const std::string quoted =
        nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return quoted.substr(1, quoted.size() - 2);
}

} // namespace

TemplateSet::TemplateSet(std::string override_dir) : override_dir_(std::move(override_dir)) {
    if (!override_dir_.empty() && !std::filesystem::is_directory(override_dir_)) {
        throw InputError(override_dir_, 0, "--templates needs a directory of *.mustache files");
    }
}

std::pair<std::string, std::string> TemplateSet::source(const std::string& name) const {
    if (!override_dir_.empty()) {
        const auto path = std::filesystem::path(override_dir_) / name;
        if (std::filesystem::is_regular_file(path)) {
            std::ifstream input(path, std::ios::binary);
            if (!input) {
                throw InputError(path.string(), 0, "cannot read template");
            }
            std::ostringstream text;
            text << input.rdbuf();
            return {text.str(), path.string()};
        }
    }
    const auto& builtin = builtin_templates();
    const auto found = builtin.find(name);
    if (found == builtin.end()) {
        throw InputError(name, 0, "no such template");
    }
    return {found->second, "built-in " + name};
}

std::string TemplateSet::render(const std::string& name, const nlohmann::json& data,
                                TemplateEscape escape) const {
    const auto [text, origin] = source(name);
    check_template_nesting(text, origin);
    kainjow::mustache::mustache tmpl{strip_standalone_tag_lines(text)};
    if (!tmpl.is_valid()) {
        throw InputError(origin, 0, "template does not parse: " + tmpl.error_message());
    }
    if (escape == TemplateEscape::json) {
        tmpl.set_custom_escape(json_escape);
    } else {
        tmpl.set_custom_escape([](const std::string& s) { return s; });
    }
    std::string rendered = tmpl.render(to_mustache(data));
    if (!tmpl.is_valid()) {
        throw InputError(origin, 0, "template failed to render: " + tmpl.error_message());
    }
    std::erase(rendered, template_sentinel);
    return rendered;
}

} // namespace advisor
