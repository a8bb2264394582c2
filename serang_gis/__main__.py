from serang_gis.cli.main import cli

if __name__ == "__main__":
    cli(prog_name="serang-gis")
