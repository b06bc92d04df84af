#include "data/idx_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <memory>

#include "core/error.hpp"

namespace fedhpc {

namespace {
// No idx data set comes near this (Fashion-MNIST's images are 47 MB).
constexpr std::size_t kMaxIdxBytes = std::size_t{1} << 40;

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

// gzread reads plain files transparently, so one path serves .gz and raw idx.
std::size_t read_some(gzFile f, void* buf, std::size_t n, const std::string& path) {
  std::size_t done = 0;
  auto* out = static_cast<unsigned char*>(buf);
  while (done < n) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - done, 1u << 30));
    const int got = gzread(f, out + done, chunk);
    if (got < 0) {
      int err = 0;
      const char* msg = gzerror(f, &err);
      throw InputError(fmt::format("{}: corrupt data file ({})", path, msg ? msg : "read error"));
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}
}  // namespace

IdxArray read_idx(const std::string& path, int expected_rank) {
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw InputError(fmt::format("{}: cannot open the data file", path));

  unsigned char magic[4];
  if (read_some(file.get(), magic, 4, path) != 4)
    throw InputError(fmt::format("{}: not an idx file: shorter than its 4-byte header", path));
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] != expected_rank) {
    throw InputError(fmt::format(
        "{}: not an idx file of unsigned bytes with {} dimension(s): magic bytes {:02x} {:02x} {:02x} {:02x}, "
        "expected 00 00 08 {:02x}",
        path, expected_rank, magic[0], magic[1], magic[2], magic[3], expected_rank));
  }

  IdxArray out;
  std::size_t total = 1;
  for (int i = 0; i < expected_rank; ++i) {
    unsigned char b[4];
    if (read_some(file.get(), b, 4, path) != 4)
      throw InputError(fmt::format("{}: truncated idx header (dimension {} missing)", path, i));
    const std::uint32_t d = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    if (d == 0 || d > (1u << 28)) throw InputError(fmt::format("{}: implausible idx dimension {} = {}", path, i, d));
    if (total > kMaxIdxBytes / d)
      throw InputError(fmt::format("{}: implausible idx header: its dimensions promise more than {} bytes", path,
                                   kMaxIdxBytes));
    out.dims.push_back(d);
    total *= d;
  }
  // The data is read before the header's size is trusted: the buffer grows
  // with what arrives (geometrically, so a real file costs no copies to
  // speak of), and a header that promises more than the file holds fails as
  // truncated instead of allocating what it promises.
  constexpr std::size_t kChunk = std::size_t{1} << 26;
  std::size_t got = 0;
  while (got < total) {
    const std::size_t want = std::min(kChunk, total - got);
    out.data.resize(got + want);
    const std::size_t n = read_some(file.get(), out.data.data() + got, want, path);
    got += n;
    if (n < want) break;
  }
  out.data.resize(got);
  if (got != total) {
    throw InputError(fmt::format("{}: truncated data file: the header promises {} bytes of data, found {}", path,
                                 total, got));
  }
  unsigned char extra;
  if (read_some(file.get(), &extra, 1, path) != 0)
    throw InputError(fmt::format("{}: corrupt data file: data continues past the {} bytes the header declares", path,
                                 total));
  return out;
}

}  // namespace fedhpc
