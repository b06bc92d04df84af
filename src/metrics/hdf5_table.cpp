#include "metrics/hdf5_table.hpp"

#include <algorithm>

namespace fedhpc::h5 {

namespace {

// Every flush recompresses the table's last, partly filled chunk, and in SWMR
// mode a chunk that grew is written to new space. Small chunks and the
// fastest zlib level keep both cheap (benchmarks/results_write_bench: 1,000
// rounds x 100 clients, 512-row chunks at level 4 cost 3.9 ms per round and
// 26 MB; 64 rows at level 1 1.7 ms and 6.7 MB; uncompressed 0.3 ms and 8.9 MB).
constexpr hsize_t kChunkRows = 64;
constexpr unsigned kDeflateLevel = 1;

Handle file_type_of(const std::vector<Column>& columns, std::size_t row_size) {
  Handle packed(H5Tcopy(compound_type(columns, row_size).get()), H5Tclose);
  H5Tpack(packed.get());  // no padding bytes in the file
  return packed;
}

void write_units(hid_t dset, const std::vector<Column>& columns, const std::string& path) {
  std::vector<std::string> units;
  for (const auto& c : columns) units.emplace_back(c.unit);
  write_attr(dset, "units", units, path);
}

hsize_t extent_of(hid_t dset) {
  Handle space(H5Dget_space(dset), H5Sclose);
  hsize_t dims[1] = {0};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  return dims[0];
}

Handle select_row(hid_t dset, const std::vector<hsize_t>& index, hsize_t count, const std::string& path) {
  Handle space(H5Dget_space(dset), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> start(index), n(index.size(), 1);
  start.resize(static_cast<std::size_t>(rank), 0);
  n.resize(static_cast<std::size_t>(rank), count);
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, n.data(), nullptr), "select a row",
        path);
  return space;
}

// Rows [first, first + count) of a 1-D table.
Handle select_range(hid_t dset, hsize_t first, hsize_t count, const std::string& path) {
  Handle space(H5Dget_space(dset), H5Sclose);
  hsize_t start[1] = {first}, n[1] = {count};
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, n, nullptr), "select rows", path);
  return space;
}

// A transfer property list whose conversion buffers fit `count` rows: HDF5's
// default is a 1 MB buffer (and as much background), zeroed on every
// compound write, which made a 100-row append cost milliseconds.
Handle transfer_for(hsize_t count, hid_t mem_type) {
  Handle dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose);
  const std::size_t bytes = std::max<std::size_t>(static_cast<std::size_t>(count) * H5Tget_size(mem_type) * 2, 4096);
  H5Pset_buffer(dxpl.get(), bytes, nullptr, nullptr);
  return dxpl;
}

}  // namespace

Table::Table(hid_t parent, const char* name, const std::vector<Column>& columns, std::size_t row_size,
             const std::string& path)
    : type_(compound_type(columns, row_size)), path_(path) {
  hsize_t dims[1] = {0}, maxdims[1] = {H5S_UNLIMITED}, chunk[1] = {kChunkRows};
  Handle space(H5Screate_simple(1, dims, maxdims), H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  check(H5Pset_chunk(dcpl.get(), 1, chunk), "set chunking", path_);
  H5Pset_shuffle(dcpl.get());  // byte planes of similar numbers compress far better
  H5Pset_deflate(dcpl.get(), kDeflateLevel);
  Handle packed = file_type_of(columns, row_size);
  dset_ = Handle(check(H5Dcreate2(parent, name, packed.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                       "create a dataset", path_),
                 H5Dclose);
  write_units(dset_.get(), columns, path_);
}

Table Table::open(hid_t parent, const char* name, const std::vector<Column>& columns, std::size_t row_size,
                  const std::string& path) {
  Table t;
  t.type_ = compound_type(columns, row_size);
  t.path_ = path;
  t.dset_ = Handle(check(H5Dopen2(parent, name, H5P_DEFAULT), "open a dataset", path), H5Dclose);
  t.rows_ = extent_of(t.dset_.get());
  return t;
}

hsize_t Table::append(const void* rows, hsize_t count) {
  const hsize_t first = rows_;
  if (count == 0) return first;
  hsize_t new_size[1] = {rows_ + count};
  check(H5Dset_extent(dset_.get(), new_size), "extend a dataset", path_);
  write(rows, first, count, type_.get());
  rows_ += count;
  return first;
}

void Table::write(const void* rows, hsize_t first, hsize_t count, hid_t mem_type) {
  Handle file_space = select_range(dset_.get(), first, count, path_);
  hsize_t n[1] = {count};
  Handle mem_space(H5Screate_simple(1, n, nullptr), H5Sclose);
  Handle dxpl = transfer_for(count, mem_type);
  check(H5Dwrite(dset_.get(), mem_type, mem_space.get(), file_space.get(), dxpl.get(), rows), "write rows", path_);
}

void Table::read(void* rows, hsize_t first, hsize_t count, hid_t mem_type) const {
  if (count == 0) return;
  Handle file_space = select_range(dset_.get(), first, count, path_);
  hsize_t n[1] = {count};
  Handle mem_space(H5Screate_simple(1, n, nullptr), H5Sclose);
  Handle dxpl = transfer_for(count, mem_type);
  check(H5Dread(dset_.get(), mem_type, mem_space.get(), file_space.get(), dxpl.get(), rows), "read rows", path_);
}

void Table::truncate(hsize_t rows) {
  rows = std::min(rows, rows_);
  hsize_t new_size[1] = {rows};
  check(H5Dset_extent(dset_.get(), new_size), "shrink a dataset", path_);
  rows_ = rows;
}

Handle create_array(hid_t parent, const char* name, hid_t file_type, const std::vector<hsize_t>& shape,
                    const std::string& path) {
  Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  std::vector<hsize_t> chunk(shape.size(), 1);
  chunk.back() = std::max<hsize_t>(shape.back(), 1);
  check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "set chunking", path);
  // Chunks are allocated when first written, so unused slots and clients
  // that never trained cost no space.
  check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_INCR), "set allocation time", path);
  return Handle(check(H5Dcreate2(parent, name, file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                      "create a dataset", path),
                H5Dclose);
}

void write_row(hid_t dset, const std::vector<hsize_t>& index, const void* data, hsize_t count, hid_t mem_type,
               const std::string& path) {
  if (count == 0) return;
  Handle file_space = select_row(dset, index, count, path);
  hsize_t n[1] = {count};
  Handle mem_space(H5Screate_simple(1, n, nullptr), H5Sclose);
  check(H5Dwrite(dset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data), "write a row", path);
}

void read_row(hid_t dset, const std::vector<hsize_t>& index, void* data, hsize_t count, hid_t mem_type,
              const std::string& path) {
  if (count == 0) return;
  Handle file_space = select_row(dset, index, count, path);
  hsize_t n[1] = {count};
  Handle mem_space(H5Screate_simple(1, n, nullptr), H5Sclose);
  check(H5Dread(dset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data), "read a row", path);
}

void write_array(hid_t parent, const char* name, const void* data, std::initializer_list<hsize_t> shape,
                 hid_t mem_type, hid_t file_type, const std::string& path) {
  std::vector<hsize_t> dims(shape);
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle dset(check(H5Dcreate2(parent, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    "create a dataset", path),
              H5Dclose);
  check(H5Dwrite(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write a dataset", path);
}

namespace {

// Opens `name` on `obj` if it exists with this type and space, else
// (re)creates it.
Handle attr_for(hid_t obj, const char* name, hid_t type, hid_t space, const std::string& path) {
  if (H5Aexists(obj, name) > 0) {
    Handle attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
    Handle old_type(H5Aget_type(attr.get()), H5Tclose);
    Handle old_space(H5Aget_space(attr.get()), H5Sclose);
    if (H5Tequal(old_type.get(), type) > 0 && H5Sextent_equal(old_space.get(), space) > 0) return attr;
    attr.reset();
    check(H5Adelete(obj, name), "replace an attribute", path);
  }
  return Handle(check(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), "create an attribute", path),
                H5Aclose);
}

}  // namespace

void write_attr(hid_t obj, const char* name, const std::string& value, const std::string& path) {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr = attr_for(obj, name, type.get(), space.get(), path);
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &p), "write an attribute", path);
}

void write_attr(hid_t obj, const char* name, const std::vector<std::string>& values, const std::string& path) {
  Handle type = string_type();
  hsize_t n[1] = {values.size()};
  Handle space(H5Screate_simple(1, n, nullptr), H5Sclose);
  Handle attr = attr_for(obj, name, type.get(), space.get(), path);
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  check(H5Awrite(attr.get(), type.get(), p.data()), "write an attribute", path);
}

void write_attr_int(hid_t obj, const char* name, long long value, hid_t file_type, const std::string& path) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr = attr_for(obj, name, file_type, space.get(), path);
  check(H5Awrite(attr.get(), H5T_NATIVE_LLONG, &value), "write an attribute", path);
}

void write_attr_double(hid_t obj, const char* name, double value, const std::string& path) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr = attr_for(obj, name, H5T_IEEE_F64LE, space.get(), path);
  check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), "write an attribute", path);
}

void write_attr_fixed(hid_t obj, const char* name, const std::string& value, std::size_t size,
                      const std::string& path) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), size);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr = attr_for(obj, name, type.get(), space.get(), path);
  std::string padded = value.substr(0, size);
  padded.resize(size, '\0');
  check(H5Awrite(attr.get(), type.get(), padded.data()), "write an attribute", path);
}

std::string read_attr_text(hid_t obj, const char* name) {
  if (H5Aexists(obj, name) <= 0) return {};
  Handle attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING) return {};
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle str = string_type();
    char* value = nullptr;
    std::string out;
    if (H5Aread(attr.get(), str.get(), &value) >= 0 && value) {
      out = value;
      Handle space(H5Aget_space(attr.get()), H5Sclose);
      H5Dvlen_reclaim(str.get(), space.get(), H5P_DEFAULT, &value);
    }
    return out;
  }
  std::string out(H5Tget_size(type.get()), '\0');
  H5Aread(attr.get(), type.get(), out.data());
  return out.substr(0, out.find('\0'));
}

}  // namespace fedhpc::h5
