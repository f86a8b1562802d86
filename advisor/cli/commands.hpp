// The subcommands of schema-advisor. Each adds itself to the CLI11 app and sets `action` to
// what runs when it is chosen; the action returns the process exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace advisor::cli {

using Action = std::function<int()>;

// Exit statuses (design.md): 0 ok, 1 findings at or above --fail-on, 2 bad usage or input.
constexpr int exit_ok = 0;
constexpr int exit_findings = 1;
constexpr int exit_usage = 2;

void add_schema_command(CLI::App& app, Action& action);
void add_advise_command(CLI::App& app, Action& action);
void add_workload_command(CLI::App& app, Action& action);

} // namespace advisor::cli
