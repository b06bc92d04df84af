#include "scenario/csv_table.hpp"

#include <cmath>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "core/parse_number.hpp"

namespace fedhpc {

namespace {
std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    cells.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) return cells;
    start = comma + 1;
  }
}
}  // namespace

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

double CsvTable::number(std::size_t row, int col) const {
  const std::string& c = rows.at(row).at(static_cast<std::size_t>(col));
  const auto v = c.empty() || c.front() == '+' ? std::nullopt : parse_number<double>(c);
  if (!v || !std::isfinite(*v))
    fail(row, fmt::format("column '{}': expected a number, found '{}'", columns[static_cast<std::size_t>(col)], c));
  return *v;
}

void CsvTable::fail(std::size_t row, const std::string& message) const {
  throw InputError(fmt::format("{}:{}: {}", file, lines.at(row), message));
}

CsvTable read_csv_table(const std::string& file, const std::vector<std::string>& required,
                        const std::vector<std::string>& optional) {
  // The table is held in memory as strings, several times the file's size:
  // a file past the limit is refused before it is read.
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw InputError(fmt::format("{}: is a directory, not a CSV file", file));
  if (const auto bytes = std::filesystem::file_size(file, ec); !ec && bytes > kMaxCsvBytes)
    throw InputError(fmt::format("{}: {} MiB; a CSV input may have at most {} MiB (it is read whole into memory)", file,
                                 bytes >> 20, kMaxCsvBytes >> 20));
  std::ifstream in(file);
  if (!in) throw InputError(fmt::format("{}: cannot open the file", file));
  CsvTable t;
  t.file = file;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    auto cells = split(text);
    if (t.columns.empty()) {
      t.columns = cells;
      for (const auto& name : cells) {
        const bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                           std::find(optional.begin(), optional.end(), name) != optional.end();
        if (!known)
          throw InputError(fmt::format("{}:{}: unknown column '{}' (expected columns: {}{}{})", file, line_no, name,
                                       fmt::join(required, ", "), optional.empty() ? "" : ", optional ",
                                       fmt::join(optional, ", ")));
      }
      for (const auto& name : required)
        if (t.column(name) < 0)
          throw InputError(fmt::format("{}:{}: expected a header with the columns {}, found '{}'", file, line_no,
                                       fmt::join(required, ", "), text));
      continue;
    }
    if (cells.size() != t.columns.size())
      throw InputError(fmt::format("{}:{}: expected {} values ({}), found {}", file, line_no, t.columns.size(),
                                   fmt::join(t.columns, ", "), cells.size()));
    t.rows.push_back(std::move(cells));
    t.lines.push_back(line_no);
  }
  if (t.columns.empty())
    throw InputError(fmt::format("{}: expected a header with the columns {}, found an empty file", file,
                                 fmt::join(required, ", ")));
  if (t.rows.empty()) throw InputError(fmt::format("{}: expected at least one row after the header", file));
  return t;
}

}  // namespace fedhpc
