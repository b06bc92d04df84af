#pragma once
// A numeric CSV table as the scenario files use it (device profiles,
// availability traces): one header line naming the columns, then rows of
// cells. Blank lines and lines starting with '#' are skipped. Every problem is
// an InputError naming file:line (exit code 2), and so is a file too large
// to hold (kMaxCsvBytes).
#include <string>
#include <vector>

namespace fedhpc {

struct CsvTable {
  std::string file;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  // the file line of each row, for messages

  // Index of a column, or -1.
  int column(const std::string& name) const;
  // The cell as a finite number, or an InputError naming file:line and column.
  double number(std::size_t row, int column) const;
  [[noreturn]] void fail(std::size_t row, const std::string& message) const;
};

// The largest CSV input read (256 MiB: tens of millions of rows).
constexpr unsigned long long kMaxCsvBytes = 256ULL << 20;

// Reads `file`; `required` columns must be in the header (any order), any
// other header name must be in `optional`.
CsvTable read_csv_table(const std::string& file, const std::vector<std::string>& required,
                        const std::vector<std::string>& optional = {});

}  // namespace fedhpc
