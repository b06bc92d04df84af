#pragma once
// Strong types for the identifiers that travel everywhere: mixing up a client
// id and a round number must be a compile error, not a silent bug.
#include <cstdint>

namespace fedhpc {

enum class ClientId : std::uint32_t {};
enum class Round : std::uint32_t {};

constexpr std::uint32_t to_int(ClientId c) { return static_cast<std::uint32_t>(c); }
constexpr std::uint32_t to_int(Round r) { return static_cast<std::uint32_t>(r); }

}  // namespace fedhpc
