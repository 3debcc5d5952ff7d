"""Operations tooling: processes, load generators and PostgreSQL for the benchmarks and drills."""
