import os

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config


def run_migrations_offline():
    context.configure(url=os.environ.get("MD_ALEMBIC_URL", config.get_main_option("sqlalchemy.url")),
                      literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(os.environ["MD_ALEMBIC_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
