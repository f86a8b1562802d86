#include "advisor/migrations/migration_writer.hpp"

#include "advisor/errors.hpp"
#include "advisor/output_file.hpp"
#include "advisor/sql_text.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

namespace advisor {

namespace fs = std::filesystem;

namespace {

void require_directory(const std::string& dir, const char* option) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) {
            throw InputError(
                dir, 0, std::string("cannot create the ") + option + " directory: " + ec.message());
        }
    } else if (!fs::is_directory(dir, ec)) {
        throw InputError(dir, 0, std::string(option) + " needs a directory");
    }
}

// The quoted strings on the right of `name = ...` / `name: type = ...` in a Python line.
std::optional<std::vector<std::string>> assigned_strings(const std::string& line,
                                                         const std::string& name) {
    if (line.rfind(name, 0) != 0) {
        return std::nullopt;
    }
    std::size_t i = name.size();
    if (i < line.size() && line[i] != ' ' && line[i] != ':' && line[i] != '=') {
        return std::nullopt; // e.g. "revision_other"
    }
    const auto equals = line.find('=', i);
    if (equals == std::string::npos) {
        return std::nullopt;
    }
    std::vector<std::string> values;
    for (std::size_t p = equals + 1; p < line.size(); ++p) {
        const char quote = line[p];
        if (quote == '#') {
            break;
        }
        if (quote != '\'' && quote != '"') {
            continue;
        }
        const auto end = line.find(quote, p + 1);
        if (end == std::string::npos) {
            break;
        }
        values.push_back(line.substr(p + 1, end - p - 1));
        p = end;
    }
    return values;
}

} // namespace

int next_sql_migration_number(const std::string& dir) {
    int highest = 0;
    std::error_code ec;
    if (fs::is_directory(dir, ec)) {
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string name = entry.path().filename().string();
            std::size_t digits = 0;
            while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) {
                ++digits;
            }
            if (digits > 0 && digits <= 9 && digits < name.size() && name[digits] == '_') {
                highest = std::max(highest, std::stoi(name.substr(0, digits)));
            }
        }
    }
    return highest + 1;
}

std::vector<OutputFile> render_sql_migration(const MigrationPlan& plan, const std::string& dir,
                                             const TemplateSet& templates) {
    std::ostringstream number;
    number << std::setw(4) << std::setfill('0') << next_sql_migration_number(dir);
    const std::string base = (fs::path(dir) / (number.str() + "_" + plan.slug)).string();
    const nlohmann::json data = migration_template_data(plan);
    return {{base + ".up.sql", templates.render("migration.up.sql.mustache", data)},
            {base + ".down.sql", templates.render("migration.down.sql.mustache", data)}};
}

namespace {

// One file pair of --emit-sql-per-index: a single statement up, its reverse (or nothing) down.
struct IndexStep {
    std::string label; // e.g. create_ix_comments_post_id
    std::string what;  // one line for the header
    std::string up;
    std::string down; // empty: nothing to undo
    bool check = false;
};

std::string file_label(const std::string& verb, const std::string& name) {
    std::string label = verb + "_";
    for (const char c : name) {
        const bool word = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        label += word ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '_';
    }
    return label.substr(0, 80);
}

std::vector<IndexStep> index_steps(const nlohmann::json& data) {
    std::vector<IndexStep> steps;
    const bool postgresql = data["dialect"]["postgresql"].get<bool>();
    if (data["check_before_up"].is_object()) {
        steps.push_back({"check_no_invalid_indexes",
                         "check that no index these files build exists INVALID",
                         data["check_before_up"]["sql"].get<std::string>(), "", true});
    }
    for (const auto& item : data["creates"]) {
        const std::string name = item["name"].get<std::string>();
        if (item["recipe"].is_object()) {
            // The partitioned-table recipe, one statement per file. Dropping the parent index
            // (the first step's down) drops the partition indexes attached to it, so the other
            // steps have nothing to undo.
            std::string down;
            for (const auto& statement : item["recipe_down_statements"]) {
                down += (down.empty() ? "" : "\n") + statement["sql"].get<std::string>();
            }
            bool first = true;
            for (const auto& statement : item["recipe_up_statements"]) {
                steps.push_back({file_label(first ? "create" : "build", name),
                                 "step of the partitioned index " + name,
                                 statement["sql"].get<std::string>(), first ? down : "", false});
                first = false;
            }
        } else {
            steps.push_back({file_label("create", name), "create " + name,
                             item["create_sql"].get<std::string>(),
                             item["drop_sql"].get<std::string>(), false});
        }
        if (postgresql) {
            steps.push_back({file_label("check", name), "check that " + name + " is valid",
                             item["check_after_create"]["sql"].get<std::string>(), "", true});
        }
    }
    for (const auto& item : data["drops"]) {
        const std::string name = item["name"].get<std::string>();
        steps.push_back({file_label("drop", name), "drop " + name,
                         item["drop_sql"].get<std::string>(), item["create_sql"].get<std::string>(),
                         false});
        if (postgresql) {
            steps.push_back({file_label("check_dropped", name), "check that " + name + " is gone",
                             item["check_after_drop"]["sql"].get<std::string>(), "", true});
        }
    }
    return steps;
}

} // namespace

std::vector<OutputFile> render_sql_migrations_per_index(const MigrationPlan& plan,
                                                        const std::string& dir,
                                                        const TemplateSet& templates) {
    const nlohmann::json data = migration_template_data(plan);
    int number = next_sql_migration_number(dir);
    std::vector<OutputFile> files;
    for (const auto& step : index_steps(data)) {
        nlohmann::json step_data = data;
        step_data["step"] = {
            {"what", step.what},
            {"up", step.up},
            {"down", step.down.empty() ? nlohmann::json(nullptr) : nlohmann::json(step.down)},
            {"check", step.check}};
        std::ostringstream prefix;
        prefix << std::setw(4) << std::setfill('0') << number++;
        const std::string base = (fs::path(dir) / (prefix.str() + "_" + step.label)).string();
        files.push_back(
            {base + ".up.sql", templates.render("migration_step.up.sql.mustache", step_data)});
        files.push_back(
            {base + ".down.sql", templates.render("migration_step.down.sql.mustache", step_data)});
    }
    return files;
}

std::vector<AlembicRevisionInfo> read_alembic_revisions(const std::string& dir) {
    std::vector<AlembicRevisionInfo> revisions;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return revisions;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".py" && entry.is_regular_file()) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        std::ifstream input(file);
        AlembicRevisionInfo info;
        info.file = file.string();
        std::string line;
        bool in_docstring = false;
        while (std::getline(input, line)) {
            // Skip the module docstring, whose "Revision ID:" lines are not assignments.
            const auto quotes = line.find("\"\"\"");
            if (quotes != std::string::npos) {
                if (line.find("\"\"\"", quotes + 3) == std::string::npos) {
                    in_docstring = !in_docstring;
                }
                continue;
            }
            if (in_docstring) {
                continue;
            }
            if (auto values = assigned_strings(line, "revision"); values && !values->empty()) {
                info.revision = values->front();
            } else if (auto downs = assigned_strings(line, "down_revision")) {
                info.down_revisions = *downs;
            }
        }
        if (!info.revision.empty()) {
            revisions.push_back(std::move(info));
        }
    }
    return revisions;
}

std::optional<std::string> alembic_head(const std::string& dir,
                                        const std::optional<std::string>& explicit_down_revision) {
    const auto revisions = read_alembic_revisions(dir);
    std::set<std::string> referenced;
    for (const auto& revision : revisions) {
        referenced.insert(revision.down_revisions.begin(), revision.down_revisions.end());
    }
    std::vector<std::string> heads;
    for (const auto& revision : revisions) {
        if (referenced.count(revision.revision) == 0) {
            heads.push_back(revision.revision);
        }
    }
    if (explicit_down_revision) {
        const bool known = std::any_of(revisions.begin(), revisions.end(), [&](const auto& r) {
            return r.revision == *explicit_down_revision;
        });
        if (!known) {
            throw UsageError("--down-revision " + *explicit_down_revision +
                             " is not a revision in " + dir);
        }
        return explicit_down_revision;
    }
    if (heads.size() > 1) {
        std::string list;
        for (const auto& head : heads) {
            list += (list.empty() ? "" : ", ") + head;
        }
        throw UsageError(dir + " has several Alembic heads (" + list +
                         "); merge them or choose one with --down-revision");
    }
    if (heads.empty()) {
        return std::nullopt;
    }
    return heads.front();
}

OutputFile render_alembic_revision(const MigrationPlan& plan, const std::string& dir,
                                   const TemplateSet& templates, const AlembicOptions& options) {
    const std::optional<std::string> down = alembic_head(dir, options.down_revision);
    nlohmann::json data = migration_template_data(plan);
    // The revision id comes from the content, so that a rerun on the same inputs is identical.
    const std::string revision =
        stable_hash_hex(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "|" +
                        down.value_or("") + "|" + options.create_date)
            .substr(0, 12);
    data["revision"] = revision;
    data["revision_python"] = python_string(revision);
    data["down_revision"] = down ? nlohmann::json(*down) : nlohmann::json(nullptr);
    data["down_revision_python"] = down ? python_string(*down) : "None";
    data["create_date"] =
        options.create_date.empty() ? "not given (use --date)" : options.create_date;
    return {(fs::path(dir) / (revision + "_" + plan.slug + ".py")).string(),
            templates.render("alembic_revision.py.mustache", data)};
}

std::map<std::string, SourceLocation> locate_fixes(const MigrationPlan& plan,
                                                   const std::vector<OutputFile>& files) {
    const nlohmann::json data = migration_template_data(plan);
    std::map<std::string, SourceLocation> locations;
    const auto locate = [&](const std::string& name, const std::vector<std::string>& texts) {
        for (const bool sql : {true, false}) {
            for (const auto& file : files) {
                if (file.path.ends_with(".up.sql") != sql ||
                    (!sql && !file.path.ends_with(".py"))) {
                    continue;
                }
                for (const auto& text : texts) {
                    const auto at = file.content.find(text);
                    if (!text.empty() && at != std::string::npos) {
                        const auto line =
                            1 + std::count(file.content.begin(),
                                           file.content.begin() + static_cast<std::ptrdiff_t>(at),
                                           '\n');
                        locations[name] = {file.path, static_cast<int>(line)};
                        return;
                    }
                }
            }
        }
    };
    for (const auto& item : data["creates"]) {
        const std::string first_step =
            item["recipe_up_statements"].empty()
                ? ""
                : item["recipe_up_statements"][0]["sql"].get<std::string>();
        locate(item["name"].get<std::string>(),
               {item["create_sql"].get<std::string>(), first_step,
                item["create_python"].get<std::string>(),
                first_step.empty()
                    ? ""
                    : item["recipe_up_statements"][0]["statement_python"].get<std::string>()});
    }
    for (const auto& item : data["drops"]) {
        locate(item["name"].get<std::string>(),
               {item["drop_sql"].get<std::string>(), item["drop_python"].get<std::string>()});
    }
    return locations;
}

void write_output_files(const std::vector<OutputFile>& files, bool force) {
    for (const auto& file : files) {
        const std::string dir = fs::path(file.path).parent_path().string();
        if (!dir.empty()) {
            require_directory(dir, "output");
        }
        if (!force && fs::exists(file.path)) {
            throw InputError(file.path, 0,
                             "exists already; not overwritten (use --force to replace it)");
        }
    }
    for (const auto& file : files) {
        write_file_atomically(file.path, file.content, force);
    }
}

} // namespace advisor
