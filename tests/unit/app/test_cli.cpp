#include <gtest/gtest.h>

#include "app/cli.hpp"
#include "core/error.hpp"
#include "config/schema.hpp"
#include "fl/output_path.hpp"

using namespace fedhpc;

TEST(Cli, RunTakesAScenarioAndOverridesInOrder) {
  const auto c = parse_cli({"run", "s.yaml", "train.rounds=3", "seed=2"});
  EXPECT_EQ(c.kind, Command::Kind::Run);
  EXPECT_EQ(c.target, "s.yaml");
  EXPECT_EQ(c.overrides, (std::vector<std::string>{"train.rounds=3", "seed=2"}));
}

TEST(Cli, HelpEverywhere) {
  EXPECT_EQ(parse_cli({"--help"}).kind, Command::Kind::Help);
  for (const char* sub : {"run", "validate", "report", "list"}) {
    const auto c = parse_cli({sub, "--help"});
    EXPECT_EQ(c.kind, Command::Kind::Help);
    EXPECT_EQ(c.help_topic, sub);
    EXPECT_NE(usage(sub).find(std::string("usage: fedhpc ") + sub), std::string::npos);
  }
}

TEST(Cli, BadInvocationsAreInputErrors) {
  EXPECT_THROW(parse_cli({}), InputError);
  EXPECT_THROW(parse_cli({"train"}), InputError);
  EXPECT_THROW(parse_cli({"run"}), InputError);
  EXPECT_THROW(parse_cli({"run", "s.yaml", "--fast"}), InputError);
  EXPECT_THROW(parse_cli({"report", "a.h5", "--tail"}), InputError);
  EXPECT_THROW(parse_cli({"list", "datasets"}), InputError);
  EXPECT_THROW(parse_cli({"list", "models", "extra"}), InputError);
}

TEST(Cli, ReportTakesSeveralFiles) {
  const Command c = parse_cli({"report", "a.h5", "b.h5", "c.h5"});
  EXPECT_EQ(c.kind, Command::Kind::Report);
  EXPECT_EQ(c.target, "a.h5");
  EXPECT_EQ(c.overrides, (std::vector<std::string>{"b.h5", "c.h5"}));
}

TEST(Cli, RunResumesAFileAndReportFollowsOne) {
  const auto r = parse_cli({"run", "s.yaml", "seed=2", "--resume", "out.h5", "train.rounds=4"});
  EXPECT_EQ(r.resume_file, "out.h5");
  EXPECT_EQ(r.overrides, (std::vector<std::string>{"seed=2", "train.rounds=4"}));
  EXPECT_THROW(parse_cli({"run", "s.yaml", "--resume"}), InputError);
  EXPECT_THROW(parse_cli({"validate", "s.yaml", "--resume", "x.h5"}), InputError);
  const auto f = parse_cli({"report", "--follow", "live.h5"});
  EXPECT_TRUE(f.follow);
  EXPECT_EQ(f.target, "live.h5");
  EXPECT_THROW(parse_cli({"report", "--follow", "a.h5", "b.h5"}), InputError);
  EXPECT_FALSE(parse_cli({"report", "a.h5"}).follow);
}

TEST(Cli, RunExpectsARankCount) {
  EXPECT_EQ(parse_cli({"run", "s.yaml", "--expect-ranks", "4", "seed=1"}).expect_ranks, 4);
  EXPECT_EQ(parse_cli({"run", "s.yaml"}).expect_ranks, 0);
  for (const char* bad : {"0", "-2", "four", "3x"})
    EXPECT_THROW(parse_cli({"run", "s.yaml", "--expect-ranks", bad}), InputError) << bad;
  EXPECT_THROW(parse_cli({"run", "s.yaml", "--expect-ranks"}), InputError);
  EXPECT_THROW(parse_cli({"validate", "s.yaml", "--expect-ranks", "2"}), InputError);
}

TEST(OutputPath, ExpandsPlaceholders) {
  RunConfig c;
  c.name = "exp";
  c.seed = 3;
  unsetenv("SLURM_JOB_ID");
  EXPECT_EQ(expand_output_path("r/{name}/s{seed}.h5", c), "r/exp/s3.h5");
  EXPECT_EQ(expand_output_path("{jobid}", c).rfind("local-", 0), 0u);
  setenv("SLURM_JOB_ID", "1234", 1);
  setenv("SLURM_ARRAY_TASK_ID", "7", 1);
  EXPECT_EQ(expand_output_path("{jobid}.h5", c), "1234_7.h5");
  unsetenv("SLURM_JOB_ID");
  unsetenv("SLURM_ARRAY_TASK_ID");
  try {
    expand_output_path("r/{nme}.h5", c);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "output.file: unknown placeholder '{nme}' in 'r/{nme}.h5' (known: {jobid} and any scenario "
                           "key, such as {name}, {seed}, {strategy.name}, {data.partition.alpha})");
  }
}

// Any key's value, as config_yaml writes it; a strategy option only where the
// strategy takes it, a key only where it applies.
TEST(OutputPath, AnyKeyIsAPlaceholder) {
  RunConfig c;
  c.name = "sweep";
  c.strategy.name = "fedprox";
  c.strategy.mu = 0.01;
  c.data.partition.kind = PartitionKind::Dirichlet;
  c.data.partition.alpha = 0.5;
  EXPECT_EQ(expand_output_path("r/{name}/{strategy.name}_mu{strategy.mu}_a{data.partition.alpha}.h5", c),
            "r/sweep/fedprox_mu0.01_a0.5.h5");
  c.strategy.name = "fedavg";
  try {
    expand_output_path("{strategy.mu}.h5", c);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "output.file: {strategy.mu}: strategy fedavg takes no option mu in '{strategy.mu}.h5'");
  }
  c.data.partition.kind = PartitionKind::Iid;
  try {
    expand_output_path("{data.partition.alpha}.h5", c);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("output.file: {data.partition.alpha}: the key does not apply here", 0), 0u)
        << e.what();
  }
}
