// Rendering through Mustache templates (kainjow mustache fed from nlohmann::json, through the one
// adapter below). Our templates are embedded in the binary; `--templates DIR` overrides them file
// by file. docs/templates.md lists the variables each template receives.
#pragma once

#include <kainjow/mustache.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace advisor {

// The templates/*.mustache files as built into the binary, by file name.
const std::map<std::string, std::string>& builtin_templates();

// The one adapter: JSON values to Mustache data. Objects become sections with keys, arrays
// lists, strings and numbers text, booleans truthiness, null falsy. Throws std::length_error
// for data nested deeper than max_template_depth (the conversion, and kainjow's data, recurse).
kainjow::mustache::data to_mustache(const nlohmann::json& value);

// Deepest nesting of template data and of template sections. Our templates nest a few levels;
// kainjow parses and renders sections recursively (and in time quadratic in their depth).
constexpr std::size_t max_template_depth = 100;

// Throws InputError naming `origin` and the line when the template's sections ({{#x}}, {{^x}})
// nest deeper than max_template_depth.
void check_template_nesting(const std::string& text, const std::string& origin);

// Applies the Mustache spec's standalone-tag rule (a line holding only section tags leaves no
// blank line) before kainjow renders, since kainjow does not.
std::string strip_standalone_tag_lines(const std::string& text);

// How {{variable}} is escaped ({{{variable}}} never is). SQL, Python and Markdown templates
// receive text prepared for them, so they use none; the SARIF template emits JSON strings.
enum class TemplateEscape { none, json };

class TemplateSet {
public:
    // `override_dir` empty: our templates only. Otherwise it must be a readable directory.
    explicit TemplateSet(std::string override_dir = {});

    // Renders a template by file name (e.g. "migration.up.sql.mustache"). Throws InputError
    // naming the file when a template does not parse.
    std::string render(const std::string& name, const nlohmann::json& data,
                       TemplateEscape escape = TemplateEscape::none) const;

    // The template's text and where it came from (an override file path or "built-in").
    std::pair<std::string, std::string> source(const std::string& name) const;

private:
    std::string override_dir_;
};

} // namespace advisor
