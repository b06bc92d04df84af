#pragma once
// Collective error agreement: a setup step that may fail on some ranks (a data
// file one rank cannot read, say) must not leave the others waiting in the
// next collective. Every rank calls agree() with what it saw; if any failed,
// all ranks throw the same error (that of the lowest failing rank), so bad
// input exits 2 everywhere and the message is printed once.
#include <cstring>
#include <exception>
#include <functional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "comm/comm.hpp"
#include "core/error.hpp"

namespace fedhpc {

// Errors that every rank raised together through agree(): the caller may exit
// normally on every rank. Any other exception is local to one rank and must
// end the job with an abort, or the other ranks would hang.
class AgreedInputError : public InputError {
 public:
  using InputError::InputError;
};
class AgreedError : public Error {
 public:
  using Error::Error;
};

// Runs `step` and agrees on the outcome. Rethrows InputError or Error with
// identical text on every rank.
void agree(Comm& comm, const std::function<void()>& step);

void bcast_string(Comm& comm, std::string& s, int root);

template <class T>
void bcast_vector(Comm& comm, std::vector<T>& v, int root) {
  std::uint64_t n = v.size();
  comm.bcast(std::as_writable_bytes(std::span(&n, 1)), root);
  v.resize(n);
  comm.bcast(std::as_writable_bytes(std::span(v)), root);
}

// Every rank's records, concatenated in rank order on root (empty elsewhere).
template <class T>
std::vector<T> gather_records(Comm& comm, std::span<const T> mine, int root) {
  static_assert(std::is_trivially_copyable_v<T>, "records travel as bytes");
  const std::vector<std::byte> bytes = comm.gatherv(std::as_bytes(mine), root);
  std::vector<T> out(bytes.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
  return out;
}

}  // namespace fedhpc
