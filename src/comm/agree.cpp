#include "comm/agree.hpp"

#include "core/error.hpp"

namespace fedhpc {

void bcast_string(Comm& comm, std::string& s, int root) {
  std::vector<char> chars(s.begin(), s.end());
  bcast_vector(comm, chars, root);
  s.assign(chars.begin(), chars.end());
}

void agree(Comm& comm, const std::function<void()>& step) {
  std::string message;
  int kind = 0;  // 0 ok, 1 Error, 2 InputError
  try {
    step();
  } catch (const InputError& e) {
    kind = 2;
    message = e.what();
  } catch (const std::exception& e) {
    kind = 1;
    message = e.what();
  }
  const std::int64_t first = comm.allreduce_min(kind ? comm.rank() : comm.size());
  if (first == comm.size()) return;
  const int from = static_cast<int>(first);
  comm.bcast(std::as_writable_bytes(std::span(&kind, 1)), from);
  bcast_string(comm, message, from);
  if (kind == 2) throw AgreedInputError(message);
  throw AgreedError(message);
}

}  // namespace fedhpc
