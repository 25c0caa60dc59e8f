import pytest

# Checks shared by several test modules report their failed assertions in full.
pytest.register_assert_rewrite("tests.kpi_data")
