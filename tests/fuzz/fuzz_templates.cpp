// libFuzzer target: the Mustache adapter. The input is split at the first NUL byte into a
// template text and a JSON document; bad templates and bad JSON must be errors, not crashes.
#include "advisor/errors.hpp"
#include "advisor/render/templates.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto split = input.find('\0');
    const std::string template_text = input.substr(0, split);
    const std::string json_text = split == std::string::npos ? "{}" : input.substr(split + 1);
    const nlohmann::json value = nlohmann::json::parse(json_text, nullptr, false);
    (void)advisor::strip_standalone_tag_lines(template_text);
    try {
        // As TemplateSet::render() does: too deep sections or data are errors, not recursion.
        advisor::check_template_nesting(template_text, "fuzz.mustache");
        kainjow::mustache::mustache tmpl{advisor::strip_standalone_tag_lines(template_text)};
        if (tmpl.is_valid() && !value.is_discarded()) {
            tmpl.set_custom_escape([](const std::string& s) { return s; });
            (void)tmpl.render(advisor::to_mustache(value));
        }
    } catch (const advisor::InputError&) {
    } catch (const std::length_error&) {
    }
    return 0;
}
