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
// lists, strings and numbers text, booleans truthiness, null falsy.
kainjow::mustache::data to_mustache(const nlohmann::json& value);

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
