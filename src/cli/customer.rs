//! `kanta customer show|export|erase|duplicates|merge`.

use super::args::CustomerCommand;
use super::{CliError, Context};

pub fn run(context: &Context, command: CustomerCommand) -> Result<(), CliError> {
    let _ = context;
    let what = match command {
        CustomerCommand::Show { .. } => "`kanta customer show`",
        CustomerCommand::Export { .. } => "`kanta customer export`",
        CustomerCommand::Erase { .. } => "`kanta customer erase`",
        CustomerCommand::Duplicates => "`kanta customer duplicates`",
        CustomerCommand::Merge { .. } => "`kanta customer merge`",
    };
    Err(CliError::not_available(what))
}
