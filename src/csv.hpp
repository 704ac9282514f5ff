// A minimal CSV reader (RFC 4180 quoting, a header row, no line breaks inside fields): rows as
// maps from the header's names to the fields.
#pragma once

#include <istream>
#include <map>
#include <string>
#include <vector>

namespace cvg {

using CsvRow = std::map<std::string, std::string>;
std::vector<CsvRow> parse_csv(std::istream& in);
// Throws std::runtime_error when the file cannot be opened.
std::vector<CsvRow> read_csv(const std::string& path);

}  // namespace cvg
