"""The Children in Need census: its specification by collection year (`spec.py`), the XSD
written from it (`schema.py`, files in `xsd/`), the census produced from live records
(`export.py`), and the validator: the file read into tables (`tables.py`) and the DfE
validation rules run over them (`rules.py`, `validate.py`)."""
