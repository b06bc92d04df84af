#include <gtest/gtest.h>

#include <set>

#include "config/keys.hpp"
#include "config/load.hpp"

using namespace fedhpc;

namespace {

// Returns the problems a config produces (empty if it loads).
std::vector<std::string> problems(const std::string& yaml, std::vector<std::string> overrides = {}) {
  try {
    load_config(yaml, "s.yaml", overrides);
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}

const char* kGood = R"(name: t
seed: 7
data:
  dataset: synthetic
  num_clients: 30
  partition: { kind: natural }
model: { name: logreg }
train: { rounds: 200, local_epochs: 20, batch_size: 10, lr: 0.01 }
strategy: { name: fedavg, clients_per_round: 10 }
runtime: { reduce: fast, aggregator: dedicated }
output: { file: "x/{name}.h5", eval_every: 5 }
)";

}  // namespace

TEST(Config, ReadsEveryKeyOfTheDesignExample) {
  const RunConfig c = load_config(kGood, "s.yaml");
  EXPECT_EQ(c.name, "t");
  EXPECT_EQ(c.seed, 7u);
  EXPECT_EQ(c.data.dataset, DatasetKind::Synthetic);
  EXPECT_EQ(c.data.num_clients, 30);
  EXPECT_EQ(c.data.partition.kind, PartitionKind::Natural);
  EXPECT_EQ(c.model.name, "logreg");
  EXPECT_EQ(c.train.rounds, 200);
  EXPECT_EQ(c.train.local_epochs, 20);
  EXPECT_EQ(c.train.batch_size, 10);
  EXPECT_DOUBLE_EQ(c.train.lr, 0.01);
  EXPECT_EQ(c.strategy.clients_per_round, 10);
  EXPECT_EQ(c.runtime.reduce, ReduceMode::Fast);
  EXPECT_EQ(c.runtime.aggregator, AggregatorLayout::Dedicated);
  EXPECT_EQ(c.output.file, "x/{name}.h5");
  EXPECT_EQ(c.output.eval_every, 5);
}

TEST(Config, DefaultsApplyToAbsentKeys) {
  const RunConfig c = load_config("name: d\n", "s.yaml");
  EXPECT_EQ(c.runtime.reduce, ReduceMode::Exact);
  EXPECT_EQ(c.runtime.aggregator, AggregatorLayout::Colocated);
  EXPECT_EQ(c.data.partition.kind, PartitionKind::Iid);
  EXPECT_FALSE(c.output.overwrite);
}

TEST(Config, OverridesWinAndAreTyped) {
  const RunConfig c = load_config(kGood, "s.yaml",
                                  std::vector<std::string>{"train.rounds=3", "train.lr=0.5", "output.overwrite=true",
                                                           "data.partition.kind=dirichlet", "data.partition.alpha=0.1"});
  EXPECT_EQ(c.train.rounds, 3);
  EXPECT_DOUBLE_EQ(c.train.lr, 0.5);
  EXPECT_TRUE(c.output.overwrite);
  EXPECT_DOUBLE_EQ(c.data.partition.alpha, 0.1);
}

TEST(Config, ResolvedYamlRoundTrips) {
  const RunConfig a = load_config(kGood, "s.yaml");
  const RunConfig b = load_config(to_yaml(a), "resolved.yaml");
  EXPECT_EQ(to_yaml(a), to_yaml(b));
  EXPECT_NE(to_yaml(a).find("lr: 0.01\n"), std::string::npos);
}

TEST(ConfigErrors, SyntaxErrorNamesLineAndColumn) {
  EXPECT_EQ(problems("name: x\ntrain: { rounds: 3\n"),
            std::vector<std::string>{"s.yaml:3:1: YAML syntax error: end of map flow not found"});
}

TEST(ConfigErrors, WrongTypeNamesKeyExpectedAndFound) {
  EXPECT_EQ(problems("train:\n  rounds: ten\n"),
            std::vector<std::string>{"s.yaml:2:11: train.rounds: expected an integer, found 'ten'"});
}

TEST(ConfigErrors, OutOfRange) {
  EXPECT_EQ(problems("train:\n  rounds: -5\n  lr: 0\n"),
            (std::vector<std::string>{"s.yaml:2:11: train.rounds: expected an integer >= 1, found -5",
                                      "s.yaml:3:7: train.lr: expected a number in (0, 1000], found 0"}));
}

TEST(ConfigErrors, UnknownKeysSuggestTheClosestKnownOne) {
  EXPECT_EQ(problems("trian:\n  rounds: 3\n"),
            std::vector<std::string>{"s.yaml:1:1: trian: unknown key (did you mean 'train'?)"});
  EXPECT_EQ(problems("train:\n  round: 3\n"),
            std::vector<std::string>{"s.yaml:2:3: train.round: unknown key (did you mean 'train.rounds'?)"});
}

TEST(ConfigErrors, BadEnumListsChoicesAndSuggests) {
  EXPECT_EQ(problems("data:\n  partition: { kind: dirichlt }\n"),
            std::vector<std::string>{"s.yaml:2:22: data.partition.kind: expected one of iid, shards, dirichlet, "
                                     "label_k, quantity, natural, found 'dirichlt' (did you mean 'dirichlet'?)"});
}

TEST(ConfigErrors, AllProblemsAtOnce) {
  auto p = problems("train: { rounds: 0, batch_size: x }\nstrategy: { name: fedavg, clients_per_round: -1 }\nbogus: 1\n");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0], "s.yaml:1:18: train.rounds: expected an integer >= 1, found 0");
  EXPECT_EQ(p[1], "s.yaml:1:33: train.batch_size: expected an integer, found 'x'");
  EXPECT_EQ(p[2], "s.yaml:2:46: strategy.clients_per_round: expected an integer >= 1, found -1");
  EXPECT_EQ(p[3], "s.yaml:3:1: bogus: unknown key");
}

TEST(ConfigErrors, CrossFieldChecksNameTheKey) {
  EXPECT_EQ(problems("data: { num_clients: 5 }\nstrategy: { clients_per_round: 6 }\n"),
            std::vector<std::string>{
                "s.yaml:2:32: strategy.clients_per_round: expected at most data.num_clients (5), found 6"});
  EXPECT_EQ(problems("model: { name: cnn_simple }\ndata: { dataset: synthetic }\n"),
            std::vector<std::string>{"s.yaml:1:16: model.name: cnn_simple needs 1x28x28 images, but data.dataset "
                                     "synthetic has 60 features"});
}

TEST(ConfigErrors, SectionThatIsNotAMapping) {
  EXPECT_EQ(problems("train: 5\n"), std::vector<std::string>{"s.yaml:1:8: train: expected a mapping, found '5'"});
}

TEST(ConfigErrors, OverridesAreNamedAsTheSource) {
  EXPECT_EQ(problems("name: x\n", {"train.rounds=abc"}),
            std::vector<std::string>{"override 'train.rounds=abc': train.rounds: expected an integer, found 'abc'"});
  EXPECT_EQ(problems("name: x\n", {"train.roundz=5"}),
            std::vector<std::string>{"override 'train.roundz=5': train.roundz: unknown key (did you mean "
                                     "'train.rounds'?)"});
  EXPECT_EQ(problems("name: x\n", {"trainrounds"}),
            std::vector<std::string>{"override 'trainrounds': expected key=value (for example train.rounds=20)"});
}

TEST(StrategyOptions, EachStrategyStartsFromItsOwnDefaults) {
  const RunConfig adam = load_config(kGood, "s.yaml", std::vector<std::string>{"strategy.name=fedadam"});
  EXPECT_EQ(adam.strategy.server_lr, 0.1);
  EXPECT_EQ(adam.strategy.beta1, 0.9);
  EXPECT_EQ(adam.strategy.beta2, 0.99);
  EXPECT_EQ(adam.strategy.tau, 1e-3);
  EXPECT_EQ(load_config(kGood, "s.yaml", std::vector<std::string>{"strategy.name=fedyogi"}).strategy.server_lr, 0.01);
  EXPECT_EQ(load_config(kGood, "s.yaml", std::vector<std::string>{"strategy.name=fedprox"}).strategy.mu, 0.01);
  EXPECT_EQ(load_config(kGood, "s.yaml", std::vector<std::string>{"strategy.name=fednova"}).strategy.mu, 0.0);
  const RunConfig m = load_config(kGood, "s.yaml", std::vector<std::string>{"strategy.name=fedavgm",
                                                                           "strategy.server_momentum=0.5"});
  EXPECT_EQ(m.strategy.server_momentum, 0.5);
  EXPECT_EQ(m.strategy.server_lr, 1.0);
}

TEST(StrategyOptions, AnOptionTheStrategyDoesNotTakeIsAnError) {
  EXPECT_EQ(problems(kGood, {"strategy.mu=0.1"}),
            (std::vector<std::string>{"override 'strategy.mu=0.1': strategy.mu: strategy fedavg takes no option 'mu' "
                                      "(its options: server_lr); fedprox, fednova take it"}));
  EXPECT_EQ(problems(kGood, {"strategy.name=qfedavg", "strategy.server_lr=2"}),
            (std::vector<std::string>{"override 'strategy.server_lr=2': strategy.server_lr: strategy qfedavg takes "
                                      "no option 'server_lr' (its options: q); fedsgd, fedavg, fedavgm, fedprox, "
                                      "scaffold, fednova, fedadam, fedyogi, fedadagrad, median, trimmed_mean, krum, "
                                      "multikrum take it"}));
}

TEST(StrategyOptions, RangesAndCrossChecks) {
  EXPECT_EQ(problems(kGood, {"strategy.name=fedavgm", "strategy.server_momentum=1.5"}),
            (std::vector<std::string>{"override 'strategy.server_momentum=1.5': strategy.server_momentum: expected a "
                                      "number in [0, 1], found 1.5"}));
  EXPECT_EQ(problems(kGood, {"strategy.name=krum", "strategy.byzantine_f=4"}),
            (std::vector<std::string>{"override 'strategy.byzantine_f=4': strategy.byzantine_f: Krum needs "
                                      "strategy.clients_per_round > 2f + 2: expected f at most 3 for 10 clients per "
                                      "round, found 4"}));
  EXPECT_TRUE(problems(kGood, {"strategy.name=krum", "strategy.byzantine_f=3"}).empty());
  // SCAFFOLD needs static placement: auto (the default) chooses it, an explicit balanced is refused.
  EXPECT_TRUE(problems(kGood, {"strategy.name=scaffold"}).empty());
  EXPECT_EQ(problems(kGood, {"strategy.name=scaffold", "runtime.placement=balanced"}).size(), 1u);
  EXPECT_TRUE(problems(kGood, {"strategy.name=scaffold", "runtime.placement=static"}).empty());
}

TEST(StrategyOptions, TheResolvedConfigListsOnlyTheStrategysOptions) {
  const std::string y = to_yaml(load_config(kGood, "s.yaml", std::vector<std::string>{"strategy.name=fedprox"}));
  EXPECT_NE(y.find("strategy:\n  name: fedprox\n  clients_per_round: 10\n  server_lr: 1\n  mu: 0.01\nscenario:"),
            std::string::npos)
      << y;
  // And it loads back to the same config.
  EXPECT_EQ(to_yaml(load_config(y, "resolved.yaml")), y);
}

TEST(KeyTable, EveryKeyOnceWithTypeDefaultAndDescription) {
  const auto rows = key_rows();
  EXPECT_GE(rows.size(), 60u);
  std::set<std::string> paths;
  for (const auto& r : rows) {
    EXPECT_TRUE(paths.insert(r.path).second) << r.path << " is listed twice";
    EXPECT_FALSE(r.type.empty()) << r.path;
    EXPECT_FALSE(r.default_value.empty()) << r.path;
    EXPECT_FALSE(r.description.empty()) << r.path;
  }
  EXPECT_TRUE(paths.count("data.partition.alpha") && paths.count("strategy.mu") && paths.count("output.file"));
}

TEST(KeyTable, EveryKeyTheResolvedConfigWritesIsInTheTable) {
  // A config where every conditional key applies, so to_yaml writes them all.
  const RunConfig c = load_config(kGood, "s.yaml",
                                  std::vector<std::string>{"data.synthetic.on_demand=true", "output.eval_train=false",
                                                           "scenario.stragglers.fraction=0.5",
                                                           "scenario.dropouts.probability=0.1",
                                                           "scenario.outages.probability=0.1",
                                                           "scenario.deadline.seconds=5", "strategy.name=fedprox"});
  const std::string y = to_yaml(c);
  for (const char* key : {"test_devices:", "slowdown:", "mode: round", "at:", "group_size:", "seconds: 5", "mu: 0.01"})
    EXPECT_NE(y.find(key), std::string::npos) << key << " missing from\n" << y;
  EXPECT_EQ(to_yaml(load_config(y, "resolved.yaml")), y);
}

TEST(KeyTable, TypesAndRangesAreWrittenOut) {
  EXPECT_EQ(key_type_text(*find_key("train.momentum")), "number in [0, 1]");
  EXPECT_EQ(key_type_text(*find_key("train.lr")), "number in (0, 1000]");
  EXPECT_EQ(key_type_text(*find_key("train.rounds")), "integer >= 1");
  EXPECT_EQ(key_type_text(*find_key("data.partition.kind")),
            "one of iid, shards, dirichlet, label_k, quantity, natural");
  EXPECT_EQ(key_type_text(*find_key("scenario.availability.on_fraction")), "number in (0, 1]");
  EXPECT_EQ(key_value_text(*find_key("runtime.placement"), RunConfig{}), "auto");
}

TEST(ConfigErrors, KeysThatCannotApplyAreRefused) {
  EXPECT_EQ(problems("name: x\ndata: { partition: { kind: iid, alpha: 0.1 } }\n"),
            std::vector<std::string>{"s.yaml:2:40: data.partition.alpha: applies only when data.partition.kind is "
                                     "dirichlet (remove it, or set that)"});
  EXPECT_EQ(problems("name: x\n", {"data.synthetic.dim=20"}),
            std::vector<std::string>{"override 'data.synthetic.dim=20': data.synthetic.dim: applies only when "
                                     "data.dataset is synthetic (remove it, or set that)"});
  EXPECT_EQ(problems("name: x\n", {"scenario.outages.rounds=3"}).size(), 1u);
  EXPECT_EQ(problems("name: x\n", {"scenario.availability.period=3600"}).size(), 1u);
  // Where they apply, the same keys load.
  EXPECT_TRUE(problems("name: x\n", {"scenario.outages.probability=0.1", "scenario.outages.rounds=3"}).empty());
  EXPECT_TRUE(problems("name: x\n", {"scenario.availability.pattern=diurnal", "scenario.availability.period=3600"})
                  .empty());
}

TEST(Config, AStoredConfigWithKeysThatDoNotApplyStillLoads) {
  // Results files written before the refusal hold every key, applicable or not.
  const std::string old = "name: x\ndata:\n  partition:\n    kind: iid\n    alpha: 0.5\n";
  EXPECT_THROW(load_config(old, "f.h5:config_yaml"), ConfigError);
  const RunConfig c = load_config(old, "f.h5:config_yaml", {}, {.stored = true});
  EXPECT_EQ(c.data.partition.kind, PartitionKind::Iid);
  EXPECT_EQ(to_yaml(c).find("alpha"), std::string::npos);
}

TEST(Config, PlacementAutoIsStaticWhereClientsKeepState) {
  EXPECT_EQ(load_config("name: x\n", "s.yaml").runtime.placement, PlacementKind::Balanced);
  EXPECT_EQ(load_config("name: x\nstrategy: { name: scaffold }\n", "s.yaml").runtime.placement,
            PlacementKind::Static);
  EXPECT_EQ(load_config("name: x\n", "s.yaml", std::vector<std::string>{"runtime.placement=static"}).runtime.placement,
            PlacementKind::Static);
}

// The document is read as written: each key once, one YAML document, and
// not nothing at all.
TEST(ConfigInput, DuplicateKeysAtAnyLevelAreRefusedWhereTheSecondStands) {
  EXPECT_EQ(problems("name: a\ntrain: { rounds: 2 }\ntrain:\n  rounds: 5\n"),
            (std::vector<std::string>{"s.yaml:3:1: train: duplicate key (first written at line 2); write each key once"}));
  EXPECT_EQ(problems("name: a\ndata: { partition: { kind: iid, kind: dirichlet } }\n"),
            (std::vector<std::string>{
                "s.yaml:2:33: data.partition.kind: duplicate key (first written at line 2); write each key once"}));
}

TEST(ConfigInput, ASecondDocumentAndAnEmptyDocumentAreRefused) {
  EXPECT_EQ(problems("name: a\n---\nname: b\n"),
            (std::vector<std::string>{"s.yaml:2:1: a second YAML document; expected one (remove the '---' and what "
                                      "follows, or merge it into the first)"}));
  EXPECT_EQ(problems("# nothing\n"),
            (std::vector<std::string>{"s.yaml:1:1: the scenario has no keys; expected a mapping of sections (name, "
                                      "seed, data, model, ...)"}));
  // A stored configuration (report, resume) is the loader's own output; it is never empty, but would load.
  EXPECT_NO_THROW(load_config("", "stored", {}, {.stored = true}));
}

TEST(ConfigInput, ValidateRefusesTheOutputPatternsRunRefuses) {
  EXPECT_EQ(problems(kGood, {"output.file=r/{nme}.h5"}),
            (std::vector<std::string>{"override 'output.file=r/{nme}.h5': output.file: unknown placeholder '{nme}' in "
                                      "'r/{nme}.h5' (known: {jobid} and any scenario key, such as {name}, {seed}, "
                                      "{strategy.name}, {data.partition.alpha})"}));
  // A key that does not apply to this configuration is refused by validate too.
  EXPECT_EQ(problems(kGood, {"output.file=r/{strategy.mu}.h5"}),
            (std::vector<std::string>{"override 'output.file=r/{strategy.mu}.h5': output.file: {strategy.mu}: strategy "
                                      "fedavg takes no option mu in 'r/{strategy.mu}.h5'"}));
}

TEST(ConfigInput, TextThatIsNotUtf8NeverReachesTheParser) {
  // yaml-cpp 0.7 loops forever on some invalid bytes (found by fuzz_config).
  EXPECT_EQ(problems("name: t\nseed: 7\ndata: {\xff\xfb dat.a\n"),
            (std::vector<std::string>{"s.yaml:3:8: expected UTF-8 text, found the byte 0xFF (is this a binary file?)"}));
  EXPECT_EQ(problems("\x01"),
            (std::vector<std::string>{"s.yaml:1:1: expected UTF-8 text, found the byte 0x01 (is this a binary file?)"}));
  EXPECT_EQ(problems("name: caf\xc3\xa9\nseed: 1\n# \xc0\xaf overlong\n"),
            (std::vector<std::string>{"s.yaml:3:3: expected UTF-8 text, found the byte 0xC0 (is this a binary file?)"}));
}

TEST(ConfigInput, NamesAndPathsAreCleanText) {
  // A control character in a name would go into file names and HDF5
  // attributes, and the stored configuration would not load back the same.
  EXPECT_EQ(problems("name: \"a\\x01b\"\n"),
            (std::vector<std::string>{"s.yaml:1:7: name: expected UTF-8 text without control characters, found "
                                      "'a\x01" "b'"}));
  EXPECT_EQ(problems(kGood, {"name=a\tb"}),
            (std::vector<std::string>{"override 'name=a\tb': expected UTF-8 text without control characters"}));
  EXPECT_TRUE(problems("name: caf\xc3\xa9_\xe2\x82\xac\n").empty());  // UTF-8 is welcome
}
