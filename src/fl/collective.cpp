#include "fl/collective.hpp"

namespace fedhpc {

void broadcast_model(Comm& comm, std::span<float> model) { comm.bcast(std::as_writable_bytes(std::span(model)), 0); }

}  // namespace fedhpc
